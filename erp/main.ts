/**
 * The posting worker process (`npm start` runs it): migrates the canonical schema, then sends approved postings
 * to the ERP (Tryton) exactly once, and confirms posted journals once the ERP's rows come back through CDC — see
 * erp/README.md and docs/posting.md. Logs the ERP's health at start and a
 * progress line every 10 s while postings flow. SIGTERM/SIGINT stop it after the posting in flight.
 */
// First: tracing (when configured) must patch pg and http before they load.
import '../runtime/tracing/register';
import { Pool } from 'pg';
import { serveMetricsFromEnv } from '../runtime/metrics/serveMetrics';
import { reportReady } from '../runtime/reportReady';
import { createLogger } from '../security/createLogger';
import { migrateCanonicalSchema } from '../canonical-schema/migrate';
import { loadErpConfig } from './config';
import { trytonConnector } from './tryton/trytonConnector';
import { runPostingConfirmation } from './confirmation/runPostingConfirmation';
import { collectPostingQueueGauges } from './worker/postingMetrics';
import { runPostingWorker } from './worker/runPostingWorker';

async function main(): Promise<void> {
  const config = loadErpConfig();
  const logger = createLogger('finsync-posting', config.logLevel);
  await migrateCanonicalSchema(config.databaseUrl);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
  const metrics = await serveMetricsFromEnv();
  const queueGauges = collectPostingQueueGauges(pool, Number(process.env.FINSYNC_GAUGE_INTERVAL_MS ?? 15_000), logger);
  const erp = trytonConnector(config.tryton, config.trytonSettings);
  const health = await erp.health();
  logger[health.ok ? 'info' : 'warn'](
    { health },
    health.ok ? 'ERP reachable' : 'ERP not reachable yet; postings wait in the queue',
  );
  const worker = runPostingWorker({
    pool,
    erp,
    settings: config.worker,
    erpTimeoutMs: config.tryton.timeoutMs,
    logger,
  });
  // The loop closes: posted journals are checked against the ERP's own rows once CDC has brought them back.
  const confirmation = runPostingConfirmation({ pool, intervalMs: config.worker.confirmIntervalMs, logger });
  logger.info({ workerId: config.worker.workerId, erp: config.tryton.url }, 'posting worker running');
  reportReady(`posting_queue → ${config.tryton.url}`);
  let last = JSON.stringify({ ...worker.stats, rounds: 0 });
  const progress = setInterval(() => {
    const now = JSON.stringify({ ...worker.stats, rounds: 0 });
    if (now !== last) logger.info({ stats: worker.stats }, 'progress');
    last = now;
  }, 10_000);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    logger.info({ signal, stats: worker.stats }, 'stopping');
    await worker.stop();
    await confirmation.stop();
    queueGauges.stop();
    await pool.end();
    await metrics?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`finsync-posting: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
