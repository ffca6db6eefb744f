import type { PoolClient } from 'pg';
import type { AuditEntry } from '../audit/AuditEntry';
import { insertAuditBatch } from '../audit/insertAuditBatch';
import type { RowChange } from '../envelope/ChangeEvent';
import { exceptionResolvedEvent, RESOLVED_RETURNING, type ResolvedExceptionRow } from '../apply/write/writeExceptions';
import type { OutboxEvent } from '../outbox/OutboxEvent';
import { insertOutboxBatch } from '../outbox/insertOutboxBatch';
import { applyChanges, type ApplyContext } from './applyChanges';
import { planChange } from './planChange';

/** Retries taken up per pass. */
const BATCH = 100;

/** A stored `source_event` the pipeline can take again: a decoded row change (not a poison message's payload). */
function isRowChange(e: unknown): e is RowChange {
  const c = e as Partial<RowChange> | null;
  return !!c && c.kind === 'change' && typeof c.topic === 'string' && !!c.source && typeof c.op === 'string';
}

/**
 * Carries out the retries people asked for (exception_action RETRY, not yet processed), in one transaction: each
 * exception's stored source change goes through the pipeline again — once its cause is fixed (a code translation,
 * a dimension, the vendor onboarded) it applies and resolves the exception; otherwise it ends as before, and the
 * open exception absorbs it. Each action records when and how it ended. Returns how many were processed.
 *
 * A data steward's decision on a DUPLICATE_VENDOR exception (SAME_VENDOR, DISTINCT_VENDOR, with its row in
 * `vendor_match_decision`) is carried out the same way: the supplier's change goes through again, and the decision
 * makes it join the existing golden record or become a vendor of its own; what waited for it is released in the
 * same transaction.
 */
export async function retryRequestedExceptions(client: PoolClient, ctx: ApplyContext): Promise<number> {
  await client.query('begin');
  try {
    const { rows } = await client.query<{
      action_id: string;
      action: string;
      reason: string;
      exception_id: string;
      source_event: unknown;
    }>(
      `select a.id::text as action_id, a.action, a.reason, e.id as exception_id, e.source_event
         from exception_action a join exception e on e.id = a.exception_id
        where a.action in ('RETRY', 'SAME_VENDOR', 'DISTINCT_VENDOR') and a.processed_at is null
        order by a.id limit ${BATCH}
        for update of a skip locked`,
    );
    if (!rows.length) {
      await client.query('commit');
      return 0;
    }
    const retryable = rows.filter((r) => isRowChange(r.source_event));
    const applied = await applyChanges(
      client,
      ctx,
      retryable.map((r) => planChange(r.source_event as RowChange, ctx.mappingRules, ctx.reference.translations)),
    );
    const outcomes = new Map(retryable.map((r, i) => [r.action_id, applied.outcomes[i] ?? 'REJECTED']));
    await client.query(
      `update exception_action a set processed_at = now(), outcome = o.outcome
         from unnest($1::bigint[], $2::text[]) as o(id, outcome) where a.id = o.id`,
      [rows.map((r) => r.action_id), rows.map((r) => outcomes.get(r.action_id) ?? 'NOT_RETRYABLE')],
    );
    // An exception not keyed by its source row (an APPLY_FAILED of a change no mapping rule turned into a row) is not
    // resolved by the row applying: resolve it here.
    const fixed = rows.filter((r) => outcomes.get(r.action_id) === 'APPLIED');
    const resolvedEvents: OutboxEvent[] = [];
    if (fixed.length) {
      // The row applying resolved its own exceptions already ("corrected at source", announced then): the steward's
      // decision says why. Those still open now close here, and are announced (`old` is the row before the update).
      const { rows: closed } = await client.query<ResolvedExceptionRow & { was_open: boolean; reason: string }>(
        `update exception e set status = 'RESOLVED', resolved_at = coalesce(e.resolved_at, now()),
                resolution_reason = f.reason
           from unnest($1::uuid[], $2::text[]) as f(id, reason), exception old
          where e.id = f.id and old.id = e.id and (e.status = 'OPEN' or f.reason not like 'Retried:%')
          ${RESOLVED_RETURNING}, old.status = 'OPEN' as was_open, f.reason`,
        [fixed.map((r) => r.exception_id), fixed.map((r) => resolutionOf(r.action, r.reason))],
      );
      resolvedEvents.push(...closed.filter((r) => r.was_open).map((r) => exceptionResolvedEvent(r, r.reason)));
    }
    const trail: AuditEntry[] = [...applied.trail];
    await insertAuditBatch(client, trail);
    await insertOutboxBatch(client, [...applied.events, ...resolvedEvents]);
    await client.query('commit');
    return rows.length;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}

/** Why an exception closed after its action applied, in the words of the exception's history. */
function resolutionOf(action: string, reason: string): string {
  switch (action) {
    case 'SAME_VENDOR':
      return `Same vendor: the supplier joined the existing golden record (data steward: ${reason})`;
    case 'DISTINCT_VENDOR':
      return `Distinct vendor: the supplier was created as a vendor of its own (data steward: ${reason})`;
    default:
      return 'Retried: the source change now applies';
  }
}
