import type { Pool, PoolClient } from 'pg';
import type { ErpDocument, ErpRefusal } from '../connector/ErpConnector';
import { changeStatus } from '../posting/changeStatus';
import type { PostingRow } from '../posting/Posting';
import { dequeuePosting, selectPosting } from '../sql/postingSql';

async function inTransaction<T>(pool: Pool, work: (db: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const out = await work(client);
    await client.query('commit');
    return out;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * The ERP holds the posted document: POSTED with its id and number, off the queue, audited, `JOURNAL_POSTED` /
 * `INVOICE_POSTED` in the outbox — one transaction. Idempotent: a posting already POSTED is only dequeued.
 */
export function recordPosted(
  pool: Pool,
  id: string,
  by: string,
  document: ErpDocument,
  recovered: boolean,
): Promise<void> {
  return inTransaction(pool, async (db) => {
    const row = await selectPosting(db, id, true);
    if (row && row.status !== 'POSTED') {
      await changeStatus(db, row, 'POSTED', by, {
        erpDocumentId: document.id,
        erpDocumentNumber: document.number,
        lastError: null,
        posted: true,
        // Found by its reference before sending: an earlier attempt posted it and died before recording it.
        ...(recovered ? { note: 'found in the ERP by its reference; not sent again' } : {}),
      });
    }
    await dequeuePosting(db, id);
  });
}

/** The ERP refused the document: FAILED with the ERP's words as userErrors, off the queue. */
export function recordRefused(pool: Pool, id: string, by: string, refusal: ErpRefusal): Promise<void> {
  return inTransaction(pool, async (db) => {
    const row = await selectPosting(db, id, true);
    if (row && row.status === 'SUBMITTED') {
      await changeStatus(db, row, 'FAILED', by, {
        userErrors: [{ code: refusal.code, field: refusal.field, message: refusal.message }],
        lastError: `${refusal.code}: ${refusal.message}`,
      });
    }
    await dequeuePosting(db, id);
  });
}

/**
 * A transient failure (ERP down, timeout, breaker open, a fault of finsync's own): the posting stays SUBMITTED and
 * is released from this worker's lease, due again at `retryAt`; the error is kept as its last error.
 */
export async function recordTransient(
  pool: Pool,
  row: PostingRow,
  workerId: string,
  error: string,
  retryAt: Date,
): Promise<void> {
  await inTransaction(pool, async (db) => {
    await db.query(`update posting set last_error = $2, next_attempt_at = $3, updated_at = now() where id = $1`, [
      row.id,
      error,
      retryAt,
    ]);
    await db.query(
      `update posting_queue set run_at = $2, locked_until = null, locked_by = null where posting_id = $1 and locked_by = $3`,
      [row.id, retryAt, workerId],
    );
  });
}
