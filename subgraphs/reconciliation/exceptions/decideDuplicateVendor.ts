import type { Db } from '../../shared/Db';
import type { UserError } from './actOnException';

/** A data steward's answer to a DUPLICATE_VENDOR exception. */
export type VendorDecision = 'SAME' | 'DISTINCT';

const ACTION: Readonly<Record<VendorDecision, string>> = { SAME: 'SAME_VENDOR', DISTINCT: 'DISTINCT_VENDOR' };

/** Refusals of a decision, as data (GraphQL `userErrors`). */
export type DecisionError =
  UserError | { readonly code: 'NOT_A_DUPLICATE_VENDOR'; readonly field: string; readonly message: string };

/**
 * Records a data steward's decision on an open DUPLICATE_VENDOR exception, in ONE statement (the exception row
 * locked): the decision (`vendor_match_decision`: this source row and the vendor it looked like are the SAME company,
 * or DISTINCT ones), an `exception_action` naming who decided, why and under which correlation id, and an outbox
 * event. The CDC pipeline carries the decision out between its batches (cdc/pipeline/retryRequestedExceptions.ts): it
 * takes the supplier's stored change again, which joins the existing golden record or becomes a vendor of its own,
 * releases what waited for it, and resolves the exception with the decision as its reason. Until then the exception
 * stays open, its action pending.
 */
export async function decideDuplicateVendor(
  db: Db,
  input: {
    readonly id: string;
    readonly decision: VendorDecision;
    readonly reason: string;
    readonly actor: string;
    readonly correlationId: string;
  },
): Promise<{ readonly ok: true } | { readonly ok: false; readonly error: DecisionError }> {
  const reason = input.reason.trim();
  if (!reason) {
    return {
      ok: false,
      error: {
        code: 'REASON_REQUIRED',
        field: 'reason',
        message:
          'reason: say why they are the same company or different ones, in a sentence a colleague can read later',
      },
    };
  }
  const { rows } = await db.query<{ found_status: string | null; found_code: string | null; decided: number }>(
    `with target as (select id, status, code, canonical_id, source_system, source_table, source_id
                       from exception where id = $1::uuid for update),
     eligible as (
       select * from target
        where status = 'OPEN' and code = 'DUPLICATE_VENDOR' and canonical_id is not null and source_id is not null
          -- one decision per exception: a second one waits for the first to be carried out
          and not exists (select 1 from exception_action a where a.exception_id = target.id
                            and a.action in ('SAME_VENDOR', 'DISTINCT_VENDOR') and a.processed_at is null)),
     decided as (
       insert into vendor_match_decision (source_system, source_table, source_id, existing_vendor_id, decision,
                                          exception_id, decided_by, reason, correlation_id)
       select source_system, source_table, source_id, canonical_id, $2, id, $4, $3, $5 from eligible
       on conflict (source_system, source_table, source_id, existing_vendor_id) do update
          set decision = excluded.decision, exception_id = excluded.exception_id, decided_by = excluded.decided_by,
              reason = excluded.reason, correlation_id = excluded.correlation_id, decided_at = now()
       returning exception_id),
     act as (
       insert into exception_action (exception_id, action, reason, actor, correlation_id, status_before, status_after)
       select id, $6, $3, $4, $5, 'OPEN', 'OPEN' from eligible where exists (select 1 from decided) returning id),
     announced as (
       insert into outbox (aggregate_type, aggregate_id, correlation_id, event_type, old_status, new_status,
                           legal_entity_id, payload)
       select 'EXCEPTION', e.id, coalesce(e.correlation_id, e.id), 'EXCEPTION_DECISION_REQUESTED', 'OPEN', 'OPEN',
              e.legal_entity_id, jsonb_build_object('code', e.code, 'decision', $2, 'reason', $3, 'actor', $4,
                'existingVendorId', e.canonical_id,
                'source', jsonb_build_object('system', e.source_system, 'table', e.source_table, 'sourceId', e.source_id))
         from exception e join eligible g on g.id = e.id where exists (select 1 from act) returning id)
     select (select status from target) as found_status, (select code from target) as found_code,
            (select count(*)::int from announced) as decided`,
    [input.id, input.decision, reason, input.actor, input.correlationId, ACTION[input.decision]],
  );
  const r = rows[0];
  if (!r?.found_status) {
    return { ok: false, error: { code: 'NOT_FOUND', field: 'id', message: `id: no exception ${input.id}` } };
  }
  if (r.found_code !== 'DUPLICATE_VENDOR') {
    return {
      ok: false,
      error: {
        code: 'NOT_A_DUPLICATE_VENDOR',
        field: 'id',
        message: `Exception ${input.id} is ${r.found_code}: only a DUPLICATE_VENDOR exception is decided as the same or a distinct vendor.`,
      },
    };
  }
  if (!r.decided) {
    return {
      ok: false,
      error: {
        code: 'NOT_OPEN',
        field: 'id',
        message:
          r.found_status === 'OPEN'
            ? `Exception ${input.id} already has a decision that the pipeline has not carried out yet.`
            : `Exception ${input.id} is already ${r.found_status}: only an open exception can be decided.`,
      },
    };
  }
  return { ok: true };
}
