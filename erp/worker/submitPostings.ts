import { BrokenCircuitError, ExponentialBackoff, type IBackoff } from 'cockatiel';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import type { ErpConnector, ErpDocument, ErpDocumentKind } from '../connector/ErpConnector';
import { ErpUnavailableError } from '../connector/ErpUnavailableError';
import type { PostingRow } from '../posting/Posting';
import { erpDocumentOf } from './erpDocumentOf';
import { renewLease } from '../sql/postingSql';
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
  /**
   * The lease a claim takes (`FINSYNC_WORKER_LEASE_MS`): renewed right before each document is sent, and the
   * document is not sent when the lease was lost (another worker took the posting over after it ran out).
   */
  readonly leaseMs?: number;
  /** Test-only: called right after the ERP confirmed a document, before finsync records it. */
  readonly afterErpCommit?: () => void;
}

export type SubmitResult = 'POSTED' | 'FAILED' | 'RETRY';

/**
 * Sends claimed postings to the ERP, exactly once at the ERP:
 *   1. look every posting's reference up in the ERP (one lookup per kind and entity for the whole batch). Posted
 *      there already (an earlier attempt committed, then died or timed out before recording it): record it, send
 *      nothing. A draft there (the create committed, the post did not): post that draft.
 *   2. otherwise post the document, one posting at a time (a refusal concerns that posting only); the ERP's
 *      refusal becomes the posting's userErrors (FAILED).
 *   3. read the new documents' numbers (one lookup), then record each posting POSTED.
 * Transient faults leave a posting SUBMITTED and due again after a backoff (cockatiel's exponential backoff with
 * jitter); when the request may have reached the ERP (a timeout), not before twice the request timeout, so that
 * the next attempt's lookup sees what that request committed. Throws only if recording in Postgres fails; the
 * lease then runs out and a later pass repeats step 1, which finds the documents.
 */
export async function submitPostings(o: SubmitOptions, rows: readonly PostingRow[]): Promise<SubmitResult[]> {
  const results = new Map<string, SubmitResult>();
  const transient = async (row: PostingRow, err: unknown) => {
    results.set(row.id, 'RETRY');
    await retryLater(o, row, err);
  };
  const docs = new Map<string, Awaited<ReturnType<typeof erpDocumentOf>>>();
  for (const row of rows) docs.set(row.id, await erpDocumentOf(o.pool, row));

  const groups = new Map<string, { kind: ErpDocumentKind; legalEntityId: string; rows: PostingRow[] }>();
  for (const row of rows) {
    const key = `${row.kind}/${row.legal_entity_id}`;
    const group = groups.get(key) ?? { kind: row.kind, legalEntityId: row.legal_entity_id, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  for (const group of groups.values()) {
    let existing: ReadonlyMap<string, ErpDocument>;
    try {
      existing = await o.erp.findByReferences(
        group.kind,
        group.legalEntityId,
        group.rows.map((r) => r.erp_reference),
      );
    } catch (err) {
      for (const row of group.rows) await transient(row, err);
      continue;
    }
    const posted: Array<{ row: PostingRow; document: ErpDocument; recovered: boolean }> = [];
    for (const row of group.rows) {
      const found = existing.get(row.erp_reference) ?? null;
      const log = o.logger.child({ posting: row.id, attempt: row.attempts });
      if (found?.state === 'POSTED') {
        log.info({ erpDocumentId: found.id }, 'already in the ERP: recording it without sending again');
        posted.push({ row, document: found, recovered: true });
        continue;
      }
      if (found?.state === 'OTHER') {
        await recordRefused(o.pool, row.id, o.workerId, {
          code: 'ERP_REFUSED',
          message: `The ERP holds document ${found.id} with this posting's reference in a state finsync cannot post (cancelled?); resolve it in the ERP.`,
          description: '',
          field: null,
        });
        results.set(row.id, 'FAILED');
        continue;
      }
      // Several workers share the queue: a batch that took longer than its lease may have lost a posting to
      // another worker, which looked it up and sends it itself. Renewing the lease first (only while still held)
      // means no two workers send one posting: the other cannot claim it before the renewed lease runs out, and
      // the request's timeout is well below the lease.
      if (o.leaseMs !== undefined && !(await renewLease(o.pool, row.id, o.workerId, o.leaseMs))) {
        log.warn('lease lost to another worker before sending; leaving the posting to it');
        results.set(row.id, 'RETRY');
        continue;
      }
      try {
        const doc = docs.get(row.id)!;
        const outcome =
          doc.kind === 'JOURNAL'
            ? await o.erp.postJournal(doc.journal, found)
            : await o.erp.postInvoice(doc.invoice, found);
        if (outcome.ok) {
          o.afterErpCommit?.();
          posted.push({ row, document: outcome.document, recovered: false });
        } else {
          await recordRefused(o.pool, row.id, o.workerId, outcome.refusal);
          results.set(row.id, 'FAILED');
          log.info({ refusal: outcome.refusal }, 'refused by the ERP');
        }
      } catch (err) {
        await transient(row, err);
      }
    }
    // Numbers of the documents just posted, in one lookup; without them the postings are recorded all the same.
    const unnumbered = posted.filter((p) => p.document.number === null).map((p) => p.row.erp_reference);
    let numbered: ReadonlyMap<string, ErpDocument> = new Map();
    if (unnumbered.length) {
      numbered = await o.erp.findByReferences(group.kind, group.legalEntityId, unnumbered).catch(() => new Map());
    }
    for (const p of posted) {
      const document = numbered.get(p.row.erp_reference) ?? p.document;
      await recordPosted(o.pool, p.row.id, o.workerId, document, p.recovered);
      results.set(p.row.id, 'POSTED');
      if (!p.recovered)
        o.logger.info({ posting: p.row.id, erpDocumentId: document.id, number: document.number }, 'posted');
    }
  }
  return rows.map((r) => results.get(r.id) ?? 'RETRY');
}

async function retryLater(o: SubmitOptions, row: PostingRow, err: unknown): Promise<void> {
  const mayHaveCommitted = err instanceof ErpUnavailableError && err.mayHaveCommitted;
  let delay = backoffDelay(o.backoffMs, o.maxBackoffMs, row.attempts);
  if (mayHaveCommitted) delay = Math.max(delay, 2 * o.erpTimeoutMs);
  const message =
    err instanceof BrokenCircuitError
      ? 'the ERP is considered down (circuit breaker open)'
      : err instanceof Error
        ? err.message
        : String(err);
  const log = o.logger.child({ posting: row.id, attempt: row.attempts });
  if (!(err instanceof ErpUnavailableError) && !(err instanceof BrokenCircuitError)) {
    log.error({ err }, 'unexpected failure while posting; retrying later');
  } else {
    log.warn({ error: message, retryInMs: delay }, 'ERP unavailable; retrying later');
  }
  await recordTransient(o.pool, row, o.workerId, message, new Date(Date.now() + delay));
}

/** The n-th delay (1-based) of cockatiel's exponential backoff (decorrelated jitter). */
function backoffDelay(initialDelay: number, maxDelay: number, attempt: number): number {
  let b: IBackoff<unknown> = new ExponentialBackoff({ initialDelay, maxDelay }).next();
  for (let i = 1; i < attempt; i++) b = b.next(undefined);
  return Math.min(b.duration, maxDelay);
}
