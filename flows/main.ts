/**
 * The flows process (`npm start` runs it as `flows-1`): routes canonical documents to the ERP. For now it runs the
 * VENDOR_ONBOARDING flow (flows/vendorOnboarding): compliance checks, the vendor's party in the ERP, activation once
 * the ERP acknowledged it. SIGTERM/SIGINT stop it after the pass in flight.
 */
// First: tracing (when configured) must patch pg and http before they load.
import '../runtime/tracing/register';
import { Pool } from 'pg';
import { migrateCanonicalSchema } from '../canonical-schema/migrate';
import { loadErpConfig } from '../erp/config';
import { trytonConnector } from '../erp/tryton/trytonConnector';
import { serveMetricsFromEnv } from '../runtime/metrics/serveMetrics';
import { reportReady } from '../runtime/reportReady';
import { createLogger } from '../security/createLogger';
import { runVendorOnboarding } from './vendorOnboarding/runVendorOnboarding';

async function main(): Promise<void> {
  const config = loadErpConfig();
  const intervalMs = Number(process.env.FINSYNC_ONBOARDING_INTERVAL_MS ?? 500);
  if (!Number.isInteger(intervalMs) || intervalMs < 10) {
    throw new Error(
      `FINSYNC_ONBOARDING_INTERVAL_MS: "${process.env.FINSYNC_ONBOARDING_INTERVAL_MS}" is not a number of ms ≥ 10`,
    );
  }
  const logger = createLogger('finsync-flows', config.logLevel);
  await migrateCanonicalSchema(config.databaseUrl);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 2 });
  // The flows engine's finsync_flow_* metrics register through runtime/metrics/registry.ts and are served here.
  const metrics = await serveMetricsFromEnv();
  const erp = trytonConnector(config.tryton, config.trytonSettings);
  const onboarding = runVendorOnboarding({ pool, erp, logger, intervalMs });
  logger.info({ erp: config.tryton.url, intervalMs }, 'vendor onboarding running');
  reportReady(`VENDOR_ONBOARDING → ${config.tryton.url}`);
  let last = '';
  const progress = setInterval(() => {
    const now = JSON.stringify({ ...onboarding.stats, passes: 0 });
    if (now !== last) logger.info({ onboarding: onboarding.stats }, 'progress');
    last = now;
  }, 10_000);
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    logger.info({ signal, onboarding: onboarding.stats }, 'stopping');
    await onboarding.stop();
    await pool.end();
    await metrics?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`flows: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
