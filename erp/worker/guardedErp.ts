import Bottleneck from 'bottleneck';
import {
  BrokenCircuitError,
  circuitBreaker,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleType,
  IsolatedCircuitError,
  retry,
  wrap,
  type IPolicy,
} from 'cockatiel';
import type { ErpConnector } from '../connector/ErpConnector';
import { ErpUnavailableError } from '../connector/ErpUnavailableError';
import { inSpan } from '../../runtime/tracing/tracer';
import { recordCircuit, recordErpRequest } from './postingMetrics';

export interface GuardOptions {
  /** Connector operations per second at most. */
  readonly ratePerSecond: number;
  /** Consecutive transient failures that open the breaker. */
  readonly breakerFailures: number;
  /** How long the breaker stays open before letting one call try. */
  readonly halfOpenAfterMs: number;
  /** Called when the breaker opens, half-opens or closes (for the log). */
  readonly onBreakerChange?: (state: 'open' | 'half-open' | 'closed') => void;
}

/** A connector behind the worker's guards, and the breaker's state. */
export interface GuardedErp {
  readonly erp: ErpConnector;
  /** True while the breaker is open: the ERP is considered down and no call is made. */
  isOpen(): boolean;
}

/**
 * The connector behind a rate limit (bottleneck: at most `ratePerSecond` operations started per second), a
 * circuit breaker (cockatiel: after `breakerFailures` consecutive `ErpUnavailableError`s every call fails at once
 * with `BrokenCircuitError` until one trial call after `halfOpenAfterMs` succeeds), and — for reads only — two
 * quick retries with backoff. Writes (post journal, post invoice) are never retried here: a write whose outcome is
 * unknown is retried by the worker only after looking its reference up in the ERP.
 */
export function guardedErp(erp: ErpConnector, options: GuardOptions): GuardedErp {
  const limiter = new Bottleneck({ minTime: Math.ceil(1000 / options.ratePerSecond), maxConcurrent: null });
  const breaker = circuitBreaker(handleType(ErpUnavailableError), {
    halfOpenAfter: options.halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.breakerFailures),
  });
  // cockatiel leaves the state Open until a call is tried after `halfOpenAfter`: a worker that waited for the state
  // to change before trying would wait for ever (found by test/process/postingScaleOut.test.ts). Open counts as
  // open only for `halfOpenAfterMs` after it opened; then the next call is the trial.
  let openedAt = 0;
  breaker.onStateChange((s) => {
    if (s === CircuitState.Open) openedAt = Date.now();
    recordCircuit(s === CircuitState.Open || s === CircuitState.Isolated);
    options.onBreakerChange?.(
      s === CircuitState.Open || s === CircuitState.Isolated
        ? 'open'
        : s === CircuitState.HalfOpen
          ? 'half-open'
          : 'closed',
    );
  });
  const reads: IPolicy = wrap(
    retry(handleType(ErpUnavailableError), {
      maxAttempts: 2,
      backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 2_000 }),
    }),
    breaker,
  );
  const read = <T>(fn: () => Promise<T>): Promise<T> => limiter.schedule(() => reads.execute(fn));
  // Every write is counted by how it ended (finsync_posting_erp_requests_total) and traced as `erp.<operation>`
  // (the ERP's HTTP call beneath it) when tracing is on.
  const write = <T>(operation: string, fn: () => Promise<T>): Promise<T> =>
    inSpan(`erp.${operation}`, { 'finsync.erp.system': erp.system }, () =>
      limiter
        .schedule(() => breaker.execute(fn))
        .then(
          (value) => {
            recordErpRequest('ok');
            return value;
          },
          (err: unknown) => {
            recordErpRequest(
              err instanceof BrokenCircuitError || err instanceof IsolatedCircuitError
                ? 'circuit_open'
                : err instanceof ErpUnavailableError
                  ? 'unavailable'
                  : 'error',
            );
            throw err;
          },
        ),
    );
  return {
    isOpen: () =>
      (breaker.state === CircuitState.Open && Date.now() - openedAt < options.halfOpenAfterMs) ||
      breaker.state === CircuitState.Isolated,
    erp: {
      system: erp.system,
      health: () => erp.health(),
      postJournal: (journal, resume) => write('postJournal', () => erp.postJournal(journal, resume)),
      postInvoice: (invoice, resume) => write('postInvoice', () => erp.postInvoice(invoice, resume)),
      findByReference: (kind, le, ref) => read(() => erp.findByReference(kind, le, ref)),
      findByReferences: (kind, le, refs) => read(() => erp.findByReferences(kind, le, refs)),
      findPeriod: (le, date) => read(() => erp.findPeriod(le, date)),
      findAccounts: (le, codes) => read(() => erp.findAccounts(le, codes)),
      findParty: (taxId) => read(() => erp.findParty(taxId)),
      // Looked up before anything is created: safe to repeat, but not to retry blindly inside one call.
      ensureVendorParty: (vendor) => write('ensureVendorParty', () => erp.ensureVendorParty(vendor)),
      knowsLegalEntity: (le) => erp.knowsLegalEntity(le),
      companyCurrency: (le) => read(() => erp.companyCurrency(le)),
      exchangeRate: (le, currency, date) => read(() => erp.exchangeRate(le, currency, date)),
    },
  };
}
