/**
 * The flows process (`npm start` runs it as `flows-1`): routes canonical documents to the ERP by the definitions in
 * flows/definitions/. The document flows (invoice-to-post …) run on the flow engine (flows/engine), their postings
 * going through the posting queue that the posting worker (`posting-1`) sends; vendor onboarding
 * (PROCUREMENT_SUPPLIERS) keeps its own runner (flows/vendorOnboarding), paused with its flow. A definition naming a
 * step no code implements yet is logged and not run. SIGTERM/SIGINT stop it after the pass in flight.
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
import { createPostingService } from '../erp/posting/createPostingService';
import { runFlows } from './engine/runFlows';
import { watchFlowDocuments } from './engine/flowMetrics';
import { FLOW_DEFINITIONS } from './registry';
import { FLOW_STEPS, missingSteps } from './steps/stepRegistry';
import { flowStateOf } from './engine/flowState';
import { runVendorOnboarding } from './vendorOnboarding/runVendorOnboarding';

/** Vendor onboarding has its own runner (it predates the engine); the engine runs the document flows. */
const ONBOARDING_FLOW = 'PROCUREMENT_SUPPLIERS';

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
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
  // The flows engine's finsync_flow_* metrics register through runtime/metrics/registry.ts and are served here.
  const metrics = await serveMetricsFromEnv();
  const stopFlowGauges = metrics
    ? watchFlowDocuments(pool, Number(process.env.FINSYNC_GAUGE_INTERVAL_MS ?? 15_000), (err) =>
        logger.warn({ err }, 'flow document gauges not read'),
      )
    : () => undefined;
  const erp = trytonConnector(config.tryton, config.trytonSettings);
  const onboarding = runVendorOnboarding({
    pool,
    erp,
    logger,
    intervalMs,
    paused: async () => (await flowStateOf(pool, ONBOARDING_FLOW)).state === 'PAUSED',
  });
  // FINSYNC_FLOWS: the document flows to run (comma-separated ids), `off` for none; default every implemented one.
  const only = (process.env.FINSYNC_FLOWS ?? '').trim();
  const wanted = (id: string) =>
    !only ||
    (only !== 'off' &&
      only
        .split(',')
        .map((s) => s.trim())
        .includes(id));
  const runnable = FLOW_DEFINITIONS.filter((f) => f.id !== ONBOARDING_FLOW && !missingSteps(f).length && wanted(f.id));
  for (const f of FLOW_DEFINITIONS.filter((d) => d.id !== ONBOARDING_FLOW && missingSteps(d).length)) {
    logger.warn({ flow: f.id, missing: missingSteps(f) }, 'flow not run: its definition names steps not implemented');
  }
  // The ERP is asked while validating with a short timeout: when it does not answer, postings are queued unchecked.
  const postingErp = trytonConnector({ ...config.tryton, timeoutMs: 3_000 }, config.trytonSettings);
  const flows = runFlows({
    pool,
    erp,
    postings: createPostingService({ pool, erp: postingErp }),
    logger,
    flows: runnable,
    steps: FLOW_STEPS,
    intervalMs,
  });
  logger.info({ erp: config.tryton.url, intervalMs, flows: runnable.map((f) => f.id) }, 'flows running');
  reportReady(`${[ONBOARDING_FLOW, ...runnable.map((f) => f.id)].join(', ')} → ${config.tryton.url}`);
  let last = '';
  const progress = setInterval(() => {
    const now = JSON.stringify({
      ...onboarding.stats,
      passes: 0,
      flows: Object.values(flows.stats).map((s) => ({ ...s, passes: 0 })),
    });
    if (now !== last) logger.info({ onboarding: onboarding.stats, flows: flows.stats }, 'progress');
    last = now;
  }, 10_000);
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    logger.info({ signal, onboarding: onboarding.stats }, 'stopping');
    await onboarding.stop();
    await flows.stop();
    stopFlowGauges();
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
