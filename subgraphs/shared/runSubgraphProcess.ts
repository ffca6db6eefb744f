import { serveMetricsFromEnv } from '../../runtime/metrics/serveMetrics';
import { reportReady } from '../../runtime/reportReady';
import { createLogger } from '../../security/createLogger';
import { loadSubgraphConfig } from './SubgraphConfig';
import type { SubgraphModule } from './SubgraphModule';
import { startSubgraph } from './startSubgraph';

/**
 * The body of every `subgraphs/<name>/main.ts`: parse the config, run the subgraph, stop cleanly on SIGTERM or
 * SIGINT. A bad configuration or an unreachable store ends the process with the reason.
 */
export function runSubgraphProcess<L>(module: SubgraphModule<L>): void {
  const start = async () => {
    const config = loadSubgraphConfig(module.name);
    const logger = createLogger(`finsync-${module.name}`, config.logLevel);
    const metrics = await serveMetricsFromEnv();
    const running = await startSubgraph(module, config, logger);
    reportReady(running.url);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping');
      await running.stop();
      await metrics?.close();
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  };
  start().catch((err: unknown) => {
    process.stderr.write(`finsync-${module.name}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
