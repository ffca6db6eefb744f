import { SUBGRAPH_PORTS, type SubgraphName } from '../../subgraphs/shared/SubgraphConfig';
import { freePort, startProcess, waitReady, type BenchProcess } from './childProcess';
import { benchToken } from './benchToken';

/** The five subgraphs as `npm start` runs them, each its own process, on free ports. */
export interface SubgraphProcesses {
  /** `FINSYNC_<NAME>_URL` for every subgraph: what a gateway process needs. */
  readonly urlsEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts every subgraph process over `databaseUrl` and waits until each is ready. */
export async function startSubgraphProcesses(env: Record<string, string>): Promise<SubgraphProcesses> {
  const procs: BenchProcess[] = [];
  const urlsEnv: Record<string, string> = {};
  try {
    for (const name of Object.keys(SUBGRAPH_PORTS) as SubgraphName[]) {
      const port = await freePort();
      const proc = startProcess(name, `subgraphs/${name}/main.ts`, {
        ...env,
        [`FINSYNC_${name.toUpperCase()}_PORT`]: String(port),
        FINSYNC_LOG_LEVEL: 'warn',
      });
      procs.push(proc);
      urlsEnv[`FINSYNC_${name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}/graphql`;
      await waitReady(`http://127.0.0.1:${port}/readyz`, 60_000, proc);
    }
  } catch (err) {
    await Promise.all(procs.map((p) => p.stop()));
    throw err;
  }
  return { urlsEnv, stop: async () => void (await Promise.all(procs.map((p) => p.stop()))) };
}

/** A gateway process (`entry`) on a free port over the subgraphs; resolves with its GraphQL URL. */
export async function startGatewayProcess(
  name: string,
  entry: string,
  env: Record<string, string>,
): Promise<{ url: string; proc: BenchProcess }> {
  const port = await freePort();
  const proc = startProcess(name, entry, { ...env, FINSYNC_GATEWAY_PORT: String(port), FINSYNC_LOG_LEVEL: 'warn' });
  const url = `http://127.0.0.1:${port}/graphql`;
  // Ready once it answers a query (the supergraph is composed): the same probe for both gateways.
  const probe = {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: await benchToken() },
    body: '{"query":"{ __typename }"}',
  };
  await waitReady(url, 90_000, proc, probe).catch(async (err) => {
    await proc.stop();
    throw err;
  });
  return { url, proc };
}
