import type { Logger } from 'pino';
import { composeSupergraph } from './compose/composeSupergraph';
import { fetchSubgraphSdl } from './compose/fetchSubgraphSdl';
import type { GatewayConfig } from './config';
import { createGateway, type RunningGateway } from './createGateway';

/**
 * Reads the running subgraphs' SDL, composes the supergraph (a composition error stops the start, listing every
 * error), and serves it.
 */
export async function startGateway(config: GatewayConfig, logger: Logger): Promise<RunningGateway> {
  const sdl = await fetchSubgraphSdl(config.subgraphs, config.startupTimeoutMs, config.security);
  const composition = composeSupergraph(sdl);
  if (!composition.ok) throw new Error(`the subgraphs do not compose:\n  ${composition.errors.join('\n  ')}`);
  return createGateway({
    supergraphSdl: composition.supergraphSdl,
    host: config.host,
    port: config.port,
    logger,
    security: config.security,
    console: config.console,
    metrics: config.metrics,
    subscriptions: config.subscriptions,
  });
}
