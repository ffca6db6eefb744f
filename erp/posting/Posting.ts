import type { PostingKind, PostingLifecycleStatus } from '../../canonical-schema/model/enums';
import type { PostingUserError } from './PostingUserError';

/** A posting as the API shows it (a resolver returns it as is). Amounts are decimal strings. */
export interface Posting {
  readonly id: string;
  readonly kind: PostingKind;
  readonly legalEntityId: string;
  readonly status: PostingLifecycleStatus;
  readonly amount: string;
  readonly currency: string;
  readonly body: unknown;
  readonly preparer: string;
  readonly approver: string | null;
  readonly decisionReason: string | null;
  readonly sourceDocument: { readonly type: string; readonly id: string } | null;
  readonly idempotencyKey: string;
  /** Why the ERP refused it (in the ERP's words) or why a retry was refused. */
  readonly userErrors: readonly PostingUserError[];
  readonly erp: {
    readonly system: string | null;
    readonly reference: string;
    readonly documentId: string | null;
    readonly documentNumber: string | null;
  };
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  readonly correlationId: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly postedAt: string | null;
  readonly version: number;
}

/** What every posting function returns: errors as data, and the posting (null when nothing was accepted). */
export interface PostingPayload {
  readonly posting: Posting | null;
  readonly userErrors: readonly PostingUserError[];
}

/** The `posting` row as node-postgres returns it (numeric as string, timestamps as Date). */
export interface PostingRow {
  readonly id: string;
  readonly kind: PostingKind;
  readonly legal_entity_id: string;
  readonly status: PostingLifecycleStatus;
  readonly body: unknown;
  readonly body_hash: string;
  readonly amount: string;
  readonly currency: string;
  readonly idempotency_scope: string;
  readonly idempotency_key: string;
  readonly preparer: string;
  readonly approver: string | null;
  readonly decided_at: Date | null;
  readonly decision_reason: string | null;
  readonly source_document_type: string | null;
  readonly source_document_id: string | null;
  readonly user_errors: PostingUserError[];
  readonly erp_system: string | null;
  readonly erp_reference: string;
  readonly erp_document_id: string | null;
  readonly erp_document_number: string | null;
  readonly attempts: number;
  readonly next_attempt_at: Date | null;
  readonly last_error: string | null;
  readonly correlation_id: string;
  readonly created_at: Date;
  readonly updated_at: Date;
  readonly posted_at: Date | null;
  readonly version: number;
}

/** The API view of a row. */
export function toPosting(r: PostingRow): Posting {
  return {
    id: r.id,
    kind: r.kind,
    legalEntityId: r.legal_entity_id,
    status: r.status,
    amount: r.amount,
    currency: r.currency.trim(),
    body: r.body,
    preparer: r.preparer,
    approver: r.approver,
    decisionReason: r.decision_reason,
    sourceDocument:
      r.source_document_type && r.source_document_id
        ? { type: r.source_document_type, id: r.source_document_id }
        : null,
    idempotencyKey: r.idempotency_key,
    userErrors: r.user_errors,
    erp: {
      system: r.erp_system,
      reference: r.erp_reference,
      documentId: r.erp_document_id,
      documentNumber: r.erp_document_number,
    },
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
    lastError: r.last_error,
    correlationId: r.correlation_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    postedAt: r.posted_at?.toISOString() ?? null,
    version: r.version,
  };
}

/** finsync's reference on the ERP document of a posting. */
export const erpReferenceOf = (postingId: string): string => `finsync:${postingId}`;
