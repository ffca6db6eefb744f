/**
 * The posting worker's metrics (the `posting` process): every write it sends to the ERP and how it ended, the
 * circuit breaker's state, and the posting queue read on an interval (this process is its only exporter).
 */
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { counter, gauge } from '../../runtime/metrics/registry';

export type ErpRequestOutcome = 'ok' | 'unavailable' | 'circuit_open' | 'error';

const requests = counter(
  'finsync_posting_erp_requests_total',
  'Postings written to the ERP, by outcome: ok, unavailable (down or timed out), circuit_open (not sent), error (refused or failed).',
  ['outcome'],
);
const circuitOpen = gauge(
  'finsync_erp_circuit_open',
  'Whether the posting worker’s ERP circuit breaker is open (1) or not (0).',
);
const queueDepth = gauge('finsync_posting_queue_depth', 'Postings waiting in posting_queue to be sent to the ERP.');
const queueOldest = gauge(
  'finsync_posting_queue_oldest_age_seconds',
  'Age of the oldest posting waiting in posting_queue (0 when it is empty).',
);

export function recordErpRequest(outcome: ErpRequestOutcome): void {
  requests.inc({ outcome });
}

export function recordCircuit(open: boolean): void {
  circuitOpen.set(open ? 1 : 0);
}

/** Reads the queue's depth and oldest age every `intervalMs` (never on scrape). */
export function collectPostingQueueGauges(pool: Pool, intervalMs: number, logger: Logger): { stop(): void } {
  recordCircuit(false);
  const read = () =>
    pool
      .query<{ depth: string; oldest: string | null }>(
        `select count(*) as depth, extract(epoch from now() - min(created_at)) as oldest from posting_queue`,
      )
      .then(({ rows }) => {
        queueDepth.set(Number(rows[0]!.depth));
        queueOldest.set(Number(rows[0]!.oldest ?? 0));
      })
      .catch((err: unknown) =>
        logger.warn({ err }, 'reading the posting queue gauges failed; keeping the last values'),
      );
  void read();
  const timer = setInterval(() => void read(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
