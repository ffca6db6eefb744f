import type { Db } from '../../canonical-schema/Db';

export interface FlowRunState {
  readonly state: 'RUNNING' | 'PAUSED';
  readonly reason: string | null;
  readonly changedBy: string;
  readonly changedAt: Date | null;
}

/** A flow's state: RUNNING unless operations (or its PAUSE fallback) paused it. */
export async function flowStateOf(db: Db, flowId: string): Promise<FlowRunState> {
  const { rows } = await db.query<{
    state: 'RUNNING' | 'PAUSED';
    reason: string | null;
    changed_by: string;
    changed_at: Date;
  }>(`select state, reason, changed_by, changed_at from flow_state where flow_id = $1`, [flowId]);
  const r = rows[0];
  return r
    ? { state: r.state, reason: r.reason, changedBy: r.changed_by, changedAt: r.changed_at }
    : { state: 'RUNNING', reason: null, changedBy: 'definition', changedAt: null };
}

/**
 * Sets a flow's state with its audit event (stage MUTATION, action PAUSE_FLOW / RESUME_FLOW, who and why) and its
 * outbox event FLOW_STATE_CHANGED (the subscription `flowStateChanged`), in one statement (atomic, and usable on a
 * subgraph's one-query-at-a-time connection; the outbox's aggregate id is a uuid made from the flow id). Returns false when the flow already was in that state.
 */
export async function setFlowState(
  db: Db,
  change: {
    readonly flowId: string;
    readonly state: 'RUNNING' | 'PAUSED';
    readonly by: string;
    readonly reason: string | null;
    readonly correlationId: string;
  },
): Promise<boolean> {
  const { rows } = await db.query<{ changed: boolean }>(
    `with before as (
       select coalesce((select state from flow_state where flow_id = $1), 'RUNNING') as state
     ), changed as (
       insert into flow_state (flow_id, state, reason, changed_by, changed_at)
       select $1, $2, $3, $4, now() from before where before.state <> $2
       on conflict (flow_id) do update set state = excluded.state, reason = excluded.reason,
         changed_by = excluded.changed_by, changed_at = excluded.changed_at
       returning flow_id
     ), audited as (
       insert into audit_event (correlation_id, stage, object_type, source_id, detail)
       select $5::uuid, 'MUTATION', 'FLOW', $1,
              jsonb_build_object('action', case when $2 = 'PAUSED' then 'PAUSE_FLOW' else 'RESUME_FLOW' end,
                                 'by', $4::text, 'reason', $3::text, 'from', (select state from before), 'to', $2::text)
         from changed
     ), announced as (
       insert into outbox (aggregate_type, aggregate_id, correlation_id, event_type, old_status, new_status,
                           legal_entity_id, payload)
       select 'FLOW', md5('finsync:flow:' || $1)::uuid, $5::uuid, 'FLOW_STATE_CHANGED', (select state from before), $2, null,
              jsonb_build_object('flowId', $1::text, 'state', $2::text, 'reason', $3::text, 'by', $4::text)
         from changed
     )
     select exists (select 1 from changed) as changed`,
    [change.flowId, change.state, change.reason, change.by, change.correlationId],
  );
  return rows[0]?.changed ?? false;
}

/** Pauses a flow (its PAUSE fallback: the ERP is down). */
export async function pauseFlowBy(db: Db, flowId: string, by: string, reason: string): Promise<void> {
  const { rows } = await db.query<{ id: string }>(`select gen_random_uuid()::text as id`);
  await setFlowState(db, { flowId, state: 'PAUSED', by, reason, correlationId: rows[0]!.id });
}
