/**
 * The CDC process (`npm start` runs it): Debezium change topics → decode → map → validate → apply into
 * the canonical store, with exceptions, parking, dead letters and the outbox relay. Logs a progress line
 * every 10 s while events flow. Serves its metrics on FINSYNC_METRICS_PORT, including the operations gauges read
 * from the database and Connect (this process is their only exporter, docs/operations.md).
 */
// First: tracing (when configured) must patch pg and http before they load.
import '../runtime/tracing/register';
import { Pool } from 'pg';
import { serveMetricsFromEnv } from '../runtime/metrics/serveMetrics';
import { reportReady } from '../runtime/reportReady';
import { createLogger } from '../security/createLogger';
import { changeTopicPattern, loadCdcConfig } from './config';
import { kafkajsBroker } from './kafka/kafkajsBroker';
import { collectOperationsGauges } from './metrics/collectOperationsGauges';
import { loadExceptionMaxAges } from './metrics/exceptionMaxAges';
import { startCdc } from './startCdc';

async function main(): Promise<void> {
  const config = loadCdcConfig();
  const logger = createLogger('finsync-cdc', config.logLevel);
  const maxAges = loadExceptionMaxAges();
  const metrics = await serveMetricsFromEnv();
  const cdc = await startCdc(config, logger);
  const sourcePool =
    config.sourcePgUrl === config.databaseUrl ? undefined : new Pool({ connectionString: config.sourcePgUrl, max: 1 });
  const gauges = collectOperationsGauges({
    pool: cdc.pool,
    sourcePool,
    connectUrl: config.connectUrl,
    broker: kafkajsBroker({ brokers: config.kafkaBrokers, clientId: 'finsync-cdc-gauges', logger }),
    groupId: config.groupId,
    topicPattern: changeTopicPattern(config.systems),
    maxAges,
    intervalMs: config.gaugeIntervalMs,
    logger,
  });
  if (metrics) logger.info({ metrics: metrics.url }, 'serving metrics');
  reportReady(`Kafka ${config.kafkaBrokers.join(',')}, group ${config.groupId}`);
  let last = JSON.stringify(cdc.stats);
  const progress = setInterval(() => {
    const now = JSON.stringify(cdc.stats);
    if (now !== last) logger.info({ stats: cdc.stats }, 'progress');
    last = now;
  }, 10_000);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    logger.info({ signal, stats: cdc.stats }, 'stopping');
    await gauges.stop();
    await cdc.stop();
    await sourcePool?.end();
    await metrics?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`finsync-cdc: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
