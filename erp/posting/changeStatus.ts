import type { Db } from '../../canonical-schema/Db';
import { writeOutbox } from '../../cdc/outbox/writeOutbox';
import type { PostingLifecycleStatus } from '../../canonical-schema/model/enums';
import { insertPostingAudit, updatePostingStatus, type PostingChanges } from '../sql/postingSql';
import { toPosting, type PostingRow } from './Posting';

/** Outbox event types of postings (subscriptions: `postingStatusChanged`, `journalPosted`, `invoicePosted`). */
export const POSTING_EVENTS = {
  statusChanged: 'POSTING_STATUS_CHANGED',
  journalPosted: 'JOURNAL_POSTED',
  invoicePosted: 'INVOICE_POSTED',
} as const;

/**
 * One status change of a posting, in the caller's transaction: the row (status, version, the given columns), an
 * audit event (stage POSTING: from, to, who, why, userErrors) and an outbox event `POSTING_STATUS_CHANGED` — plus
 * `JOURNAL_POSTED` / `INVOICE_POSTED` when it reaches POSTED. Returns the new row.
 */
export async function changeStatus(
  db: Db,
  row: PostingRow,
  to: PostingLifecycleStatus,
  by: string,
  changes: PostingChanges & { readonly note?: string } = {},
): Promise<PostingRow> {
  const next = await updatePostingStatus(db, row.id, to, changes);
  await insertPostingAudit(db, next, {
    from: row.status,
    to,
    by,
    ...(changes.decisionReason ? { reason: changes.decisionReason } : {}),
    ...(changes.userErrors?.length ? { userErrors: changes.userErrors } : {}),
    ...(changes.note ? { note: changes.note } : {}),
    ...(next.erp_document_id
      ? { erpDocumentId: next.erp_document_id, erpDocumentNumber: next.erp_document_number }
      : {}),
  });
  const payload = { posting: toPosting(next), by };
  const base = {
    aggregateType: 'POSTING',
    aggregateId: next.id,
    correlationId: next.correlation_id,
    oldStatus: row.status,
    newStatus: to,
    legalEntityId: next.legal_entity_id,
    payload,
  };
  await writeOutbox(db, { ...base, eventType: POSTING_EVENTS.statusChanged });
  if (to === 'POSTED') {
    await writeOutbox(db, {
      ...base,
      eventType: next.kind === 'JOURNAL' ? POSTING_EVENTS.journalPosted : POSTING_EVENTS.invoicePosted,
    });
  }
  return next;
}
