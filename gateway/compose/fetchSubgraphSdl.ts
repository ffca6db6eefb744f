import { parse } from 'graphql';
import type { SecurityConfig } from '../../security/SecurityConfig';
import { signInternalToken } from '../../security/tokens';
import type { SubgraphSdl } from './composeSupergraph';

/**
 * Reads each running subgraph's own SDL (`{ _service { sdl } }`, the federation introspection), retrying until
 * every subgraph answers or `timeoutMs` passes; the error names the ones that never did.
 */
export async function fetchSubgraphSdl(
  subgraphs: ReadonlyArray<{ readonly name: string; readonly url: string }>,
  timeoutMs: number,
  security: SecurityConfig,
): Promise<SubgraphSdl[]> {
  // The subgraphs serve nobody without a token, the gateway itself included.
  const token = await signInternalToken(
    { subject: 'finsync-gateway', roles: ['service'], legalEntities: [] },
    security,
  );
  const deadline = Date.now() + timeoutMs;
  const out: SubgraphSdl[] = [];
  for (const s of subgraphs) {
    let lastError = '';
    for (;;) {
      try {
        const res = await fetch(s.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query: '{ _service { sdl } }' }),
        });
        const body = (await res.json()) as { data?: { _service?: { sdl?: string } } };
        const sdl = body.data?._service?.sdl;
        if (sdl) {
          out.push({ name: s.name, url: s.url, typeDefs: parse(sdl) });
          break;
        }
        lastError = `HTTP ${res.status} without an SDL`;
      } catch (err) {
        lastError = err instanceof Error ? err.message : String(err);
      }
      if (Date.now() > deadline) throw new Error(`subgraph ${s.name} at ${s.url} did not answer: ${lastError}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  return out;
}
