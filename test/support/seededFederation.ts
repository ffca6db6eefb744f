import { startFederation, type FederationStack } from './federationStack';
import { seedCanonical, type SeededCanonical } from './seedCanonical';
import { bearer } from './tokens';

export interface SeededFederation extends SeededCanonical {
  /** The five subgraphs and the gateway, in this process, over the seeded database. */
  readonly fed: FederationStack;
  stop(): Promise<void>;
}

/**
 * The whole path on the real stack for one test file: `seedCanonical` (scratch database, live CDC pipeline, a fresh
 * seed in the real sources), with the five subgraphs and the gateway started before the seed, their consumers of
 * the run's events topic joined. `env` overrides the environment of the subgraphs and the gateway (limits).
 */
export async function seededFederation(
  purpose: string,
  seedArgs: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<SeededFederation> {
  let fed: FederationStack | null = null;
  const seeded = await seedCanonical(purpose, seedArgs, async ({ dbUrl, eventsTopic }) => {
    fed = await startFederation({ databaseUrl: dbUrl, eventsTopic, env });
    await Promise.all(fed.subgraphs.map((s) => s.events.joined));
  });
  const running = fed as unknown as FederationStack;
  return {
    ...seeded,
    fed: running,
    stop: async () => {
      await running.stop().catch(() => undefined);
      await seeded.drop();
    },
  };
}

/**
 * POSTs a GraphQL operation to the gateway and returns the parsed body. Without an `authorization` header of its
 * own it goes as a controller over both legal entities (the tests that are not about access); pass
 * `authorization: ''` to send none.
 */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const authorization = headers.authorization ?? (await bearer());
  const rest = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'authorization'));
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json',
      ...rest,
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
}
