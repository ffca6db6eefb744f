import type { Logger } from 'pino';
import { loadSecurityConfig } from '../../security/SecurityConfig';
import { startCanonicalEvents, type CanonicalEventSource } from './canonicalEvents';
import { createSubgraphServer, type RequestReport, type RunningSubgraph } from './createSubgraphServer';
import type { SubgraphConfig } from './SubgraphConfig';
import type { SubgraphModule } from './SubgraphModule';

/** A source for subgraphs without subscriptions: it never yields. */
const NO_EVENTS: CanonicalEventSource = {
  joined: Promise.resolve(),
  isJoined: () => true,
  events: () => ({ [Symbol.asyncIterator]: async function* () {} }),
  stop: async () => undefined,
};

/**
 * Runs one subgraph: its canonical events consumer (for subscriptions), its resolvers and its HTTP + graphql-ws
 * server. `onRequestDone` sees every request's SQL statement count (tests and benchmarks).
 */
export async function startSubgraph<L>(
  module: SubgraphModule<L>,
  config: SubgraphConfig,
  logger: Logger,
  hooks: { readonly onRequestDone?: (report: RequestReport) => void; readonly env?: NodeJS.ProcessEnv } = {},
): Promise<RunningSubgraph & { readonly events: CanonicalEventSource }> {
  const events = module.usesEvents
    ? await startCanonicalEvents({
        subgraph: module.name,
        brokers: config.kafkaBrokers,
        topic: config.eventsTopic,
        logger,
      })
    : NO_EVENTS;
  const built = await module.createResolvers(events, { env: hooks.env ?? process.env, logger });
  const server = await createSubgraphServer({
    name: module.name,
    typeDefs: module.typeDefs,
    resolvers: built.resolvers,
    loaders: built.createLoaders ?? ((db) => module.createLoaders(db)),
    databaseUrl: config.databaseUrl,
    dbPoolSize: config.dbPoolSize,
    security: loadSecurityConfig(hooks.env ?? process.env),
    host: config.host,
    port: config.port,
    logger,
    ready: events.isJoined,
    onRequestDone: hooks.onRequestDone,
    onStop: async () => {
      await built.close?.();
      await events.stop();
    },
  });
  return { ...server, events };
}
