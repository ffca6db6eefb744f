import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { PostingKind } from '../../canonical-schema/model/enums';
import {
  enqueuePosting,
  insertPosting,
  insertPostingAudit,
  selectLivePostingOf,
  selectPostingByKey,
} from '../sql/postingSql';
import { changeStatus } from './changeStatus';
import { erpReferenceOf, toPosting, type PostingPayload, type PostingRow } from './Posting';
import type { PostingDeps } from './PostingDeps';
import { needsApproval } from './PostingPolicy';
import type { Principal } from './Principal';
import type { PostingUserError } from './PostingUserError';
import { violation } from './postingRules';

/** What an accept function hands over once its body is parsed and hashed. */
export interface AcceptRequest {
  readonly kind: PostingKind;
  readonly legalEntityId: string;
  readonly body: unknown;
  readonly bodyHash: string;
  readonly amount: string;
  readonly currency: string;
  readonly sourceDocument: { readonly type: string; readonly id: string; readonly label: string } | null;
  readonly correlationId: string | null;
  /**
   * THRESHOLD (default): approval above the entity's threshold (postingPolicy.json); ALWAYS: every posting waits for
   * an approver (a flow whose policy is MANUAL). Nothing skips the threshold.
   */
  readonly approval?: 'THRESHOLD' | 'ALWAYS';
  /** Runs the validation (on the transaction's connection); an empty list accepts the posting. */
  validate(db: PoolClient): Promise<PostingUserError[]>;
}

const SOURCE_DOCUMENT_INDEX = 'posting_source_document';

/**
 * The shared accept path of journals and invoices, idempotent per principal and key:
 * the same key and body return the posting already created (whatever its status now); the same key with another
 * body is refused (`IDEMPOTENCY_KEY_REUSED`, as Codat answers 422); otherwise the posting is validated and, in one
 * transaction, inserted (DRAFT), moved to PENDING_APPROVAL or APPROVED by the entity's threshold, audited, announced
 * in the outbox and — when approved — put on the worker's queue. Refused input stores nothing (the key stays free).
 */
export async function acceptPosting(
  deps: PostingDeps,
  principal: Principal,
  idempotencyKey: string,
  request: AcceptRequest,
): Promise<PostingPayload> {
  if (!idempotencyKey.trim()) {
    return {
      posting: null,
      userErrors: [{ code: 'INVALID_FIELD', field: 'idempotencyKey', message: 'idempotencyKey is required.' }],
    };
  }
  const client = await deps.pool.connect();
  try {
    const replay = await replayOf(client, principal, idempotencyKey, request);
    if (replay) return replay;
    const userErrors = await request.validate(client);
    if (userErrors.length) return { posting: null, userErrors };
    if (request.sourceDocument) {
      const live = await selectLivePostingOf(client, request.sourceDocument.type, request.sourceDocument.id);
      if (live) return { posting: null, userErrors: [alreadyPosted(request, live)] };
    }

    const id = randomUUID();
    await client.query('begin');
    try {
      const row = await insertPosting(client, {
        id,
        kind: request.kind,
        legalEntityId: request.legalEntityId,
        body: request.body,
        bodyHash: request.bodyHash,
        amount: request.amount,
        currency: request.currency,
        scope: principal.subject,
        key: idempotencyKey,
        preparer: principal.subject,
        sourceDocument: request.sourceDocument,
        erpSystem: deps.erp.system,
        erpReference: erpReferenceOf(id),
        correlationId: request.correlationId ?? id,
      });
      if (!row) {
        // A concurrent request with the same key won the insert: answer as its replay.
        await client.query('rollback');
        return (await replayOf(client, principal, idempotencyKey, request))!;
      }
      await insertPostingAudit(client, row, { from: null, to: 'DRAFT', by: principal.subject });
      const always = request.approval === 'ALWAYS';
      const approval = always || needsApproval(deps.policy, request.legalEntityId, request.currency, request.amount);
      const next = await changeStatus(client, row, approval ? 'PENDING_APPROVAL' : 'APPROVED', principal.subject, {
        note: always
          ? 'its flow posts only with an approval'
          : approval
            ? 'above the approval threshold'
            : 'within the approval threshold',
      });
      if (!approval) await enqueuePosting(client, id);
      await client.query('commit');
      return { posting: toPosting(next), userErrors: [] };
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      if ((err as { constraint?: string }).constraint === SOURCE_DOCUMENT_INDEX && request.sourceDocument) {
        const live = await selectLivePostingOf(client, request.sourceDocument.type, request.sourceDocument.id);
        if (live) return { posting: null, userErrors: [alreadyPosted(request, live)] };
      }
      throw err;
    }
  } finally {
    client.release();
  }
}

async function replayOf(
  client: PoolClient,
  principal: Principal,
  key: string,
  request: AcceptRequest,
): Promise<PostingPayload | null> {
  const existing = await selectPostingByKey(client, principal.subject, key);
  if (!existing) return null;
  if (existing.body_hash === request.bodyHash && existing.kind === request.kind) {
    return { posting: toPosting(existing), userErrors: [] };
  }
  return {
    posting: null,
    userErrors: [
      violation('IDEMPOTENCY_KEY_SAME_BODY', 'idempotencyKey', {
        key,
        kind: existing.kind === 'JOURNAL' ? 'journal' : 'invoice',
        postingId: existing.id,
      }),
    ],
  };
}

function alreadyPosted(request: AcceptRequest, live: PostingRow): PostingUserError {
  return violation('SOURCE_DOCUMENT_ONCE', 'sourceDocument', {
    document: request.sourceDocument!.label,
    postingId: live.id,
    status: live.status,
  });
}
