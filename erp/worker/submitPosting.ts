import { BrokenCircuitError, ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { ErpConnector } from '../connector/ErpConnector';
import { ErpUnavailableError } from '../connector/ErpUnavailableError';
import type { PostingRow } from '../posting/Posting';
import { erpDocumentOf } from './erpDocumentOf';
import { recordPosted, recordRefused, recordTransient } from './recordOutcome';

export interface SubmitOptions {
  readonly pool: Pool;
  readonly erp: ErpConnector;
  readonly workerId: string;
  readonly logger: Logger;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** The ERP request timeout: after a timeout the ERP may still be finishing the request. */
  readonly erpTimeoutMs: number;
  /** Test-only: called right after the ERP confirmed a document, before finsync records it. */
  readonly afterErpCommit?: () => void;
}

/**
 * Sends one claimed posting to the ERP, exactly once at the ERP:
 *   1. look the posting's reference up in the ERP. Posted there already (an earlier attempt committed, then died or
 *      timed out before recording it): record it, send nothing. A draft there (the create committed, the post did
 *      not): post that draft.
 *   2. otherwise post the document; the ERP's refusal becomes the posting's userErrors (FAILED).
 * Transient faults leave the posting SUBMITTED and due again after a backoff (cockatiel's exponential backoff with
 * jitter); when the request may have reached the ERP (a timeout), not before twice the request timeout, so that
 * the lookup of the next attempt sees what that request committed.
 * May throw only if recording the outcome in Postgres fails; the lease then runs out and another pass repeats
 * step 1, which finds the document.
 */
export async function submitPosting(o: SubmitOptions, row: PostingRow): Promise<'POSTED' | 'FAILED' | 'RETRY'> {
  const log = o.logger.child({ posting: row.id, attempt: row.attempts });
  try {
    const doc = await erpDocumentOf(o.pool, row);
    const existing = await o.erp.findByReference(doc.kind, row.legal_entity_id, row.erp_reference);
    if (existing?.state === 'POSTED') {
      log.info({ erpDocumentId: existing.id }, 'already in the ERP: recording it without sending again');
      await recordPosted(o.pool, row.id, o.workerId, existing, true);
      return 'POSTED';
    }
    if (existing?.state === 'OTHER') {
      await recordRefused(o.pool, row.id, o.workerId, {
        code: 'ERP_REFUSED',
        message: `The ERP holds document ${existing.id} with this posting's reference in a state finsync cannot post (cancelled?); resolve it in the ERP.`,
        description: '',
        field: null,
      });
      return 'FAILED';
    }
    const outcome =
      doc.kind === 'JOURNAL'
        ? await o.erp.postJournal(doc.journal, existing)
        : await o.erp.postInvoice(doc.invoice, existing);
    if (outcome.ok) {
      o.afterErpCommit?.();
      await recordPosted(o.pool, row.id, o.workerId, outcome.document, false);
      log.info({ erpDocumentId: outcome.document.id, number: outcome.document.number }, 'posted');
      return 'POSTED';
    }
    await recordRefused(o.pool, row.id, o.workerId, outcome.refusal);
    log.info({ refusal: outcome.refusal }, 'refused by the ERP');
    return 'FAILED';
  } catch (err) {
    const mayHaveCommitted = err instanceof ErpUnavailableError && err.mayHaveCommitted;
    let delay = backoffDelay(o.backoffMs, o.maxBackoffMs, row.attempts);
    if (mayHaveCommitted) delay = Math.max(delay, 2 * o.erpTimeoutMs);
    const message =
      err instanceof BrokenCircuitError
        ? 'the ERP is considered down (circuit breaker open)'
        : err instanceof Error
          ? err.message
          : String(err);
    if (!(err instanceof ErpUnavailableError) && !(err instanceof BrokenCircuitError)) {
      log.error({ err }, 'unexpected failure while posting; retrying later');
    } else {
      log.warn({ error: message, retryInMs: delay }, 'ERP unavailable; retrying later');
    }
    await recordTransient(o.pool, row, o.workerId, message, new Date(Date.now() + delay));
    return 'RETRY';
  }
}

/** The n-th delay (1-based) of cockatiel's exponential backoff (decorrelated jitter). */
function backoffDelay(initialDelay: number, maxDelay: number, attempt: number): number {
  let b: IBackoff<unknown> = new ExponentialBackoff({ initialDelay, maxDelay }).next();
  for (let i = 1; i < attempt; i++) b = b.next(undefined);
  return Math.min(b.duration, maxDelay);
}
