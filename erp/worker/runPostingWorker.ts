import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { WorkerSettings } from '../config';
import type { ErpConnector } from '../connector/ErpConnector';
import { claimPostings } from './claimPostings';
import { guardedErp } from './guardedErp';
import { submitPostings } from './submitPostings';

export interface PostingWorkerOptions {
  readonly pool: Pool;
  readonly erp: ErpConnector;
  readonly settings: WorkerSettings;
  /** The ERP's request timeout (see `SubmitOptions.erpTimeoutMs`). */
  readonly erpTimeoutMs: number;
  readonly logger: Logger;
}

export interface PostingWorkerStats {
  posted: number;
  failed: number;
  retried: number;
  rounds: number;
}

/**
 * The posting worker's main loop: claim due postings (a batch), send each to the ERP through the guards (rate
 * limit, circuit breaker), record the outcome, repeat; sleep `idleMs` when nothing is due or the breaker is open.
 * Postings of one batch are looked up together and sent one after another (the rate limit, not concurrency, paces
 * the ERP). Claiming
 * throws only when Postgres fails: logged, then retried after a pause.
 */
export function runPostingWorker(options: PostingWorkerOptions): { stats: PostingWorkerStats; stop(): Promise<void> } {
  const { pool, settings, logger } = options;
  const guarded = guardedErp(options.erp, {
    ratePerSecond: settings.erpRatePerSecond,
    breakerFailures: settings.breakerFailures,
    halfOpenAfterMs: settings.breakerHalfOpenMs,
    onBreakerChange: (state) =>
      logger[state === 'open' ? 'warn' : 'info']({ breaker: state }, `ERP circuit breaker ${state}`),
  });
  const crash =
    settings.crashPoint === 'after-erp-commit'
      ? () => {
          if (Math.random() < settings.crashProbability) {
            process.stderr.write('posting worker: crash point after-erp-commit reached; SIGKILL\n');
            process.kill(process.pid, 'SIGKILL');
          }
        }
      : undefined;
  const stats: PostingWorkerStats = { posted: 0, failed: 0, retried: 0, rounds: 0 };
  let running = true;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  const done = (async () => {
    while (running) {
      stats.rounds++;
      if (guarded.isOpen()) {
        await sleep(settings.idleMs);
        continue;
      }
      let claimed;
      try {
        claimed = await claimPostings(pool, settings.workerId, settings.batchSize, settings.leaseMs);
      } catch (err) {
        logger.warn({ err }, 'claiming postings failed; retrying');
        await sleep(Math.max(settings.idleMs, 1_000));
        continue;
      }
      if (!claimed.length) {
        await sleep(settings.idleMs);
        continue;
      }
      try {
        const results = await submitPostings(
          {
            pool,
            erp: guarded.erp,
            workerId: settings.workerId,
            logger,
            backoffMs: settings.backoffMs,
            maxBackoffMs: settings.maxBackoffMs,
            erpTimeoutMs: options.erpTimeoutMs,
            leaseMs: settings.leaseMs,
            afterErpCommit: crash,
          },
          claimed,
        );
        for (const result of results) {
          if (result === 'POSTED') stats.posted++;
          else if (result === 'FAILED') stats.failed++;
          else stats.retried++;
        }
      } catch (err) {
        // Recording failed (Postgres): the leases run out and the postings are looked up in the ERP again.
        logger.error({ err }, 'recording posting outcomes failed; they will be looked up again');
      }
    }
  })();
  return {
    stats,
    stop: async () => {
      running = false;
      wake?.();
      await done;
    },
  };
}
