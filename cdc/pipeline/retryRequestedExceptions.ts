import type { PoolClient } from 'pg';
import type { AuditEntry } from '../audit/AuditEntry';
import { insertAuditBatch } from '../audit/insertAuditBatch';
import type { RowChange } from '../envelope/ChangeEvent';
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
 */
export async function retryRequestedExceptions(client: PoolClient, ctx: ApplyContext): Promise<number> {
  await client.query('begin');
  try {
    const { rows } = await client.query<{ action_id: string; exception_id: string; source_event: unknown }>(
      `select a.id::text as action_id, e.id as exception_id, e.source_event
         from exception_action a join exception e on e.id = a.exception_id
        where a.action = 'RETRY' and a.processed_at is null
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
    const fixed = rows.filter((r) => outcomes.get(r.action_id) === 'APPLIED').map((r) => r.exception_id);
    if (fixed.length) {
      await client.query(
        `update exception set status = 'RESOLVED', resolved_at = now(),
                resolution_reason = 'Retried: the source change now applies'
          where id = any($1::uuid[]) and status = 'OPEN'`,
        [fixed],
      );
    }
    const trail: AuditEntry[] = [...applied.trail];
    await insertAuditBatch(client, trail);
    await insertOutboxBatch(client, applied.events);
    await client.query('commit');
    return rows.length;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}
