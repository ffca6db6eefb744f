/**
 * The gateway process (`npm start` runs it): composes the five subgraphs and serves one endpoint,
 * http://127.0.0.1:4000/graphql (FINSYNC_GATEWAY_PORT), for HTTP and graphql-ws, plus /healthz and /readyz.
 */
// First: tracing (when configured) must patch pg and http before they load.
import '../runtime/tracing/register';
import { serveMetricsFromEnv } from '../runtime/metrics/serveMetrics';
import { reportReady } from '../runtime/reportReady';
import { createLogger } from '../security/createLogger';
import { loadGatewayConfig } from './config';
import { startGateway } from './startGateway';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger('finsync-gateway', config.logLevel);
  const metrics = await serveMetricsFromEnv();
  const gateway = await startGateway(config, logger);
  reportReady(gateway.url);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await gateway.stop();
    await metrics?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`finsync-gateway: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
