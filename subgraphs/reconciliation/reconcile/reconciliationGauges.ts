/**
 * `finsync_reconciliation_differences{flow,legal_entity,period,status}`, computed in the background by the
 * reconciliation process (its only exporter) every `intervalMs` for every flow and legal entity, this month and the
 * previous one — never by the scrape: reconciliation reads the source databases. Runs only where metrics are served.
 */
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { counter, gauge } from '../../../runtime/metrics/registry';
import { FLOWS } from '../flows/flows';
import type { SourceDatabases } from '../sources/SourceDatabases';
import { reconcileFlow } from './reconcileFlow';

const differences = gauge(
  'finsync_reconciliation_differences',
  'Records that differ between source, canonical store and ERP, by flow, legal entity, period and status (PENDING, MISMATCH).',
  ['flow', 'legal_entity', 'period', 'status'],
);
const runs = counter('finsync_reconciliation_runs_total', 'Background reconciliation passes, by outcome.', ['outcome']);

export interface ReconciliationGaugeOptions {
  readonly databaseUrl: string;
  readonly sources: SourceDatabases;
  readonly graceSeconds: number;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** The months reconciled: this one and the previous one (UTC), as YYYY-MM. */
export function recentPeriods(now: Date): string[] {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const fmt = (d: Date) => d.toISOString().slice(0, 7);
  return [fmt(new Date(Date.UTC(y, m - 1, 1))), fmt(new Date(Date.UTC(y, m, 1)))];
}

function lastDay(period: string): string {
  const [y, m] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export function runReconciliationGauges(options: ReconciliationGaugeOptions): { stop(): Promise<void> } {
  const pool = new Pool({ connectionString: options.databaseUrl, max: 2 });
  const db = { query: pool.query.bind(pool) } as const;
  let running: Promise<void> | null = null;
  const pass = async () => {
    const { rows } = await pool.query<{ id: string }>('select id from legal_entity order by id');
    const values: { labels: Record<'flow' | 'legal_entity' | 'period' | 'status', string>; n: number }[] = [];
    for (const period of recentPeriods(options.now?.() ?? new Date())) {
      for (const { id: legalEntityId } of rows) {
        for (const flow of FLOWS) {
          const scope = {
            legalEntityId,
            from: flow.periodic ? `${period}-01` : '0001-01-01',
            to: flow.periodic ? lastDay(period) : '9999-12-31',
            numberPrefix: '',
          };
          const r = await reconcileFlow(
            { db, sources: options.sources, graceSeconds: options.graceSeconds },
            flow,
            scope,
            period,
          );
          for (const status of ['PENDING', 'MISMATCH'] as const) {
            const n = r.differences.filter((d) => d.status === status).length;
            values.push({ labels: { flow: flow.id, legal_entity: legalEntityId, period, status }, n });
          }
        }
      }
    }
    differences.reset();
    for (const v of values) differences.set(v.labels, v.n);
  };
  const tick = () => {
    running ??= pass()
      .then(
        () => runs.inc({ outcome: 'ok' }),
        (err: unknown) => {
          runs.inc({ outcome: 'failed' });
          options.logger.warn({ err }, 'background reconciliation for metrics failed; keeping the last values');
        },
      )
      .finally(() => (running = null));
  };
  tick();
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
      await pool.end();
    },
  };
}
