import type { Db } from '../../canonical-schema/Db';
import type { PostingLifecycleStatus, PostingKind } from '../../canonical-schema/model/enums';
import type { PostingRow } from '../posting/Posting';
import type { PostingUserError } from '../posting/PostingUserError';

/** The posting, optionally locked for the caller's transaction. */
export async function selectPosting(db: Db, id: string, forUpdate = false): Promise<PostingRow | null> {
  const { rows } = await db.query<PostingRow>(`select * from posting where id = $1 ${forUpdate ? 'for update' : ''}`, [
    id,
  ]);
  return rows[0] ?? null;
}

/** The posting a principal created with this idempotency key. */
export async function selectPostingByKey(db: Db, scope: string, key: string): Promise<PostingRow | null> {
  const { rows } = await db.query<PostingRow>(
    `select * from posting where idempotency_scope = $1 and idempotency_key = $2`,
    [scope, key],
  );
  return rows[0] ?? null;
}

/** The live (not rejected or cancelled) posting of a source document. */
export async function selectLivePostingOf(db: Db, type: string, id: string): Promise<PostingRow | null> {
  const { rows } = await db.query<PostingRow>(
    `select * from posting where source_document_type = $1 and source_document_id = $2
        and status not in ('REJECTED', 'CANCELLED') limit 1`,
    [type, id],
  );
  return rows[0] ?? null;
}

export interface NewPosting {
  readonly id: string;
  readonly kind: PostingKind;
  readonly legalEntityId: string;
  readonly body: unknown;
  readonly bodyHash: string;
  readonly amount: string;
  readonly currency: string;
  readonly scope: string;
  readonly key: string;
  readonly preparer: string;
  readonly sourceDocument: { readonly type: string; readonly id: string } | null;
  readonly erpSystem: string;
  readonly erpReference: string;
  readonly correlationId: string;
}

/** Inserts a DRAFT posting; null when the principal's key is taken (a concurrent request with the same key). */
export async function insertPosting(db: Db, p: NewPosting): Promise<PostingRow | null> {
  const { rows } = await db.query<PostingRow>(
    `insert into posting (id, kind, legal_entity_id, status, body, body_hash, amount, currency, idempotency_scope,
                          idempotency_key, preparer, source_document_type, source_document_id, erp_system, erp_reference,
                          correlation_id)
     values ($1, $2, $3, 'DRAFT', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     on conflict (idempotency_scope, idempotency_key) do nothing
     returning *`,
    [
      p.id,
      p.kind,
      p.legalEntityId,
      JSON.stringify(p.body),
      p.bodyHash,
      p.amount,
      p.currency,
      p.scope,
      p.key,
      p.preparer,
      p.sourceDocument?.type ?? null,
      p.sourceDocument?.id ?? null,
      p.erpSystem,
      p.erpReference,
      p.correlationId,
    ],
  );
  return rows[0] ?? null;
}

/** Columns a status change may set beside the status. */
export interface PostingChanges {
  readonly approver?: string | null;
  readonly decisionReason?: string | null;
  readonly userErrors?: readonly PostingUserError[];
  readonly erpDocumentId?: string | null;
  readonly erpDocumentNumber?: string | null;
  readonly lastError?: string | null;
  readonly submitted?: boolean;
  readonly posted?: boolean;
  readonly decided?: boolean;
}

/** Sets the status (and the given columns), bumps the version; returns the new row. */
export async function updatePostingStatus(
  db: Db,
  id: string,
  status: PostingLifecycleStatus,
  c: PostingChanges,
): Promise<PostingRow> {
  const { rows } = await db.query<PostingRow>(
    `update posting set status = $2, updated_at = now(), version = version + 1,
            approver = case when $3::boolean then $4 else approver end,
            decision_reason = case when $3::boolean then $5 else decision_reason end,
            decided_at = case when $3::boolean then now() else decided_at end,
            user_errors = coalesce($6::jsonb, user_errors),
            erp_document_id = coalesce($7, erp_document_id),
            erp_document_number = coalesce($8, erp_document_number),
            last_error = case when $9::boolean then $10 else last_error end,
            submitted_at = case when $11::boolean then now() else submitted_at end,
            posted_at = case when $12::boolean then now() else posted_at end,
            next_attempt_at = case when $2 in ('POSTED', 'REJECTED', 'FAILED', 'CANCELLED') then null else next_attempt_at end
      where id = $1
      returning *`,
    [
      id,
      status,
      c.decided ?? false,
      c.approver ?? null,
      c.decisionReason ?? null,
      c.userErrors ? JSON.stringify(c.userErrors) : null,
      c.erpDocumentId ?? null,
      c.erpDocumentNumber ?? null,
      c.lastError !== undefined,
      c.lastError ?? null,
      c.submitted ?? false,
      c.posted ?? false,
    ],
  );
  if (!rows[0]) throw new Error(`posting ${id} vanished during a status change`);
  return rows[0];
}

/** Puts the posting on the worker's queue (due now); a second call leaves the row as it is. */
export async function enqueuePosting(db: Db, id: string): Promise<void> {
  await db.query(
    `insert into posting_queue (posting_id) values ($1)
     on conflict (posting_id) do update set run_at = least(posting_queue.run_at, now()), locked_until = null, locked_by = null`,
    [id],
  );
}

/**
 * The posting's queue row, locked, and whether a worker holds it: leased, or being claimed right now (its row
 * locked by a claim: skipped rather than waited for, since the claim locks the queue row before the posting and
 * a decision locks them the other way round).
 */
export async function lockQueueRow(db: Db, id: string): Promise<'NONE' | 'FREE' | 'HELD'> {
  const { rows } = await db.query<{ locked_until: Date | null }>(
    `select locked_until from posting_queue where posting_id = $1 for update skip locked`,
    [id],
  );
  if (rows[0]) return rows[0].locked_until && rows[0].locked_until > new Date() ? 'HELD' : 'FREE';
  const exists = await db.query(`select 1 from posting_queue where posting_id = $1`, [id]);
  return exists.rowCount ? 'HELD' : 'NONE';
}

export async function dequeuePosting(db: Db, id: string): Promise<void> {
  await db.query(`delete from posting_queue where posting_id = $1`, [id]);
}

/** One audit event of stage POSTING for a posting. */
export async function insertPostingAudit(
  db: Db,
  row: PostingRow,
  detail: Readonly<Record<string, unknown>>,
): Promise<void> {
  await db.query(
    `insert into audit_event (correlation_id, stage, object_type, canonical_id, source_system, source_table, source_id, detail)
     values ($1, 'POSTING', 'POSTING', $2, 'finsync', 'posting', $3, $4)`,
    [row.correlation_id, row.id, row.id, JSON.stringify(detail)],
  );
}

/**
 * Postings of invoices whose vendor may not be posted to yet (`vendor_activation.state` other than ACTIVATED): the
 * posting, its vendor, the vendor's state and why. A fragment: callers add `and p.id = …`.
 */
export const WAITING_FOR_VENDOR = `select p.id as posting_id, v.id as vendor_id, v.name as vendor_name, a.state, a.reason
    from posting p
    join invoice i on i.id = case when p.source_document_type = 'INVOICE' then p.source_document_id::uuid end
    join vendor v on v.id = i.vendor_id
    join vendor_activation a on a.vendor_id = v.id
   where p.kind = 'INVOICE' and a.state <> 'ACTIVATED'`;

/** Extends this worker's lease on a queue row it still holds; false when the lease ran out or another worker holds it. */
export async function renewLease(db: Db, id: string, workerId: string, leaseMs: number): Promise<boolean> {
  const { rowCount } = await db.query(
    `update posting_queue set locked_until = now() + $3 * interval '1 millisecond'
      where posting_id = $1 and locked_by = $2 and locked_until > now()`,
    [id, workerId, leaseMs],
  );
  return (rowCount ?? 0) > 0;
}
