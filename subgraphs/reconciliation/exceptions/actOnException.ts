import type { Db } from '../../shared/Db';

/** What a person can do with an exception. */
export type ExceptionAction = 'RETRY' | 'RESOLVE' | 'IGNORE' | 'ASSIGN';

/** An expected refusal, returned as data (GraphQL `userErrors`). */
export interface UserError {
  readonly code: 'NOT_FOUND' | 'NOT_OPEN' | 'REASON_REQUIRED' | 'OWNER_INVALID';
  readonly field: string | null;
  readonly message: string;
}

const STATUS_AFTER: Readonly<Record<Exclude<ExceptionAction, 'ASSIGN'>, string>> = {
  RETRY: 'OPEN',
  RESOLVE: 'RESOLVED',
  IGNORE: 'IGNORED',
};
const EVENT_TYPE: Readonly<Record<ExceptionAction, string>> = {
  RETRY: 'EXCEPTION_RETRY_REQUESTED',
  RESOLVE: 'EXCEPTION_RESOLVED',
  IGNORE: 'EXCEPTION_IGNORED',
  ASSIGN: 'EXCEPTION_ASSIGNED',
};

/** A user id as tokens carry it (`sub`): an e-mail address or a plain id, nothing that could be markup. */
const OWNER = /^[A-Za-z0-9._@+:-]{1,128}$/;

/**
 * Retries, resolves, ignores or assigns an open exception, in ONE statement (so atomically, the row locked): the
 * exception's new state, an `exception_action` row with the reason, the actor (the verified principal) and the
 * correlation id, and an outbox event (which `exceptionStatusChanged` subscribers receive). A retry keeps the
 * exception open and announces `EXCEPTION_RETRY_REQUESTED` with the stored source event on the canonical events
 * topic; the CDC pipeline carries the retry out from its `exception_action` row (between batches:
 * cdc/pipeline/retryRequestedExceptions.ts) and records its outcome there. Resolve and ignore close it. Assign
 * changes only its owner (null: nobody) and records the owner before and after.
 */
export async function actOnException(
  db: Db,
  input: {
    readonly id: string;
    readonly action: ExceptionAction;
    readonly reason: string;
    /** The principal's subject. */
    readonly actor: string;
    readonly correlationId: string;
    /** For ASSIGN: the new owner (null: nobody). */
    readonly owner?: string | null;
  },
): Promise<{ readonly ok: true } | { readonly ok: false; readonly error: UserError }> {
  const reason = input.reason.trim();
  if (!reason) {
    return {
      ok: false,
      error: {
        code: 'REASON_REQUIRED',
        field: 'reason',
        message: 'reason: say why, in a sentence a colleague can read later',
      },
    };
  }
  const assign = input.action === 'ASSIGN';
  const owner = assign ? (input.owner?.trim() ?? '') || null : null;
  if (owner !== null && !OWNER.test(owner)) {
    return {
      ok: false,
      error: {
        code: 'OWNER_INVALID',
        field: 'owner',
        message: 'owner: a user id (e-mail address or login) of at most 128 letters, digits and . _ @ + : -',
      },
    };
  }
  const { rows } = await db.query<{ found_status: string | null; updated: number }>(
    `with target as (select id, status, owner from exception where id = $1::uuid for update),
     upd as (
       update exception e
          set status = $2,
              owner = case when $4 = 'ASSIGN' then $8 else e.owner end,
              resolved_at = case when $2 <> 'OPEN' then now() else e.resolved_at end,
              resolution_reason = case when $2 <> 'OPEN' then $3 else e.resolution_reason end,
              retry_count = e.retry_count + case when $4 = 'RETRY' then 1 else 0 end,
              last_retry_at = case when $4 = 'RETRY' then now() else e.last_retry_at end
         from target where e.id = target.id and target.status = 'OPEN'
       returning e.*, target.status as status_before, target.owner as owner_before),
     act as (
       insert into exception_action (exception_id, action, reason, actor, correlation_id, status_before, status_after,
                                     owner_before, owner_after)
       select id, $4, $3, $5, $6, status_before, status, owner_before, owner from upd returning id),
     announced as (
       insert into outbox (aggregate_type, aggregate_id, correlation_id, event_type, old_status, new_status, legal_entity_id, payload)
       select 'EXCEPTION', id, coalesce(correlation_id, id), $7, status_before, status, legal_entity_id,
              jsonb_build_object('code', code, 'reason', $3, 'action', $4, 'actor', $5,
                'ownerBefore', owner_before, 'owner', owner,
                'source', jsonb_build_object('system', source_system, 'table', source_table, 'sourceId', source_id),
                'sourceEvent', source_event)
         from upd returning id)
     select (select status from target) as found_status, (select count(*)::int from act) as updated`,
    [
      input.id,
      assign ? 'OPEN' : STATUS_AFTER[input.action as Exclude<ExceptionAction, 'ASSIGN'>],
      reason,
      input.action,
      input.actor,
      input.correlationId,
      EVENT_TYPE[input.action],
      owner,
    ],
  );
  const r = rows[0];
  if (!r?.found_status) {
    return { ok: false, error: { code: 'NOT_FOUND', field: 'id', message: `id: no exception ${input.id}` } };
  }
  if (!r.updated) {
    return {
      ok: false,
      error: {
        code: 'NOT_OPEN',
        field: 'id',
        message: `Exception ${input.id} is already ${r.found_status}: only an open exception can be retried, resolved, ignored or assigned.`,
      },
    };
  }
  return { ok: true };
}
