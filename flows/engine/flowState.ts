import type { Pool, PoolClient } from 'pg';
import { writeOutbox } from '../../cdc/outbox/writeOutbox';

export interface FlowRunState {
  readonly state: 'RUNNING' | 'PAUSED';
  readonly reason: string | null;
  readonly changedBy: string;
  readonly changedAt: Date | null;
}

/** A flow's state: RUNNING unless operations (or its PAUSE fallback) paused it. */
export async function flowStateOf(db: Pool | PoolClient, flowId: string): Promise<FlowRunState> {
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
 * Sets a flow's state in one transaction with its audit event (stage MUTATION) and its outbox event
 * FLOW_STATE_CHANGED (the subscription `flowStateChanged`). Returns false when it already was in that state.
 */
export async function setFlowState(
  client: PoolClient,
  flowId: string,
  state: 'RUNNING' | 'PAUSED',
  by: string,
  reason: string | null,
): Promise<boolean> {
  const before = await flowStateOf(client, flowId);
  if (before.state === state) return false;
  await client.query(
    `insert into flow_state (flow_id, state, reason, changed_by, changed_at) values ($1, $2, $3, $4, now())
     on conflict (flow_id) do update set state = excluded.state, reason = excluded.reason,
       changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
    [flowId, state, reason, by],
  );
  const correlation = await client.query<{ id: string }>(`select gen_random_uuid()::text as id`);
  const correlationId = correlation.rows[0]!.id;
  await client.query(
    `insert into audit_event (correlation_id, stage, object_type, source_id, detail)
     values ($1, 'MUTATION', 'FLOW', $2, $3)`,
    [
      correlationId,
      flowId,
      JSON.stringify({
        action: state === 'PAUSED' ? 'PAUSE_FLOW' : 'RESUME_FLOW',
        by,
        reason,
        from: before.state,
        to: state,
      }),
    ],
  );
  await writeOutbox(client, {
    aggregateType: 'FLOW',
    aggregateId: flowId,
    correlationId,
    eventType: 'FLOW_STATE_CHANGED',
    oldStatus: before.state,
    newStatus: state,
    legalEntityId: null,
    payload: { flowId, state, reason, by },
  });
  return true;
}

/** Pauses a flow (its PAUSE fallback), in its own transaction. */
export async function pauseFlowBy(pool: Pool, flowId: string, by: string, reason: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    await setFlowState(client, flowId, 'PAUSED', by, reason);
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
