import type { PoolClient } from 'pg';
import { raiseException } from '../../cdc/exceptions/raiseException';
import { writeOutbox } from '../../cdc/outbox/writeOutbox';
import type { FlowDefinition } from '../registry';
import type { CanonicalDocument, FlowProblem, FlowStepSet, StepContext } from '../steps/FlowSteps';
import { changedAfterDoneSql, discoverSql, openDocumentsSql, retryChangedSql } from './sql/documentSql';
import { flowStateOf, pauseFlowBy } from './flowState';
import { changedFields } from './changedFields';
import { recordPosted, recordSlaBreaches } from './flowMetrics';

/** What one pass over one flow did. */
export interface FlowPass {
  discovered: number;
  started: number;
  done: number;
  failed: number;
  waiting: number;
  breached: number;
  changedAfterPosting: number;
  erpUnavailable: boolean;
}

export interface AdvanceOptions {
  /** Only documents whose number starts with this (a test's own on the shared stack). '' = all. */
  readonly numberPrefix: string;
  readonly batch: number;
}

interface OpenRow extends CanonicalDocument {
  readonly status: string;
  readonly deleted: boolean;
  readonly snapshot: Record<string, unknown>;
  readonly flow_state: 'WAITING' | 'IN_PROGRESS';
  readonly action_reference: string | null;
  readonly waits_for: string | null;
  readonly exception_id: string | null;
}

const SOURCE_OF = `select system, source_table, source_id from source_reference
   where canonical_id = $1 and role = 'SOURCE' and system = $2 and source_table = $3 limit 1`;

/**
 * One pass of a flow, as its definition says:
 *   discover  canonical records of the trigger's source table in a trigger state become the flow's documents (WAITING)
 *   SLA       a document open longer than the SLA is marked breached, once (outbox FLOW_SLA_BREACHED)
 *   paused    a paused flow discovers and counts, and does nothing else
 *   each open document: checks (a failure → FAILED + exception naming the check) · prerequisites (waited for, never
 *             failed) · the action (the ERP unavailable → the fallback) · its completion (done, still going, failed)
 *   after     a done document whose record changed since is an exception naming the changed fields; never redone
 * Every document's step commits on its own; throws only when Postgres fails.
 */
export async function advanceFlow(ctx: StepContext, steps: FlowStepSet, options: AdvanceOptions): Promise<FlowPass> {
  const { pool, flow } = ctx;
  const pass: FlowPass = {
    discovered: 0,
    started: 0,
    done: 0,
    failed: 0,
    waiting: 0,
    breached: 0,
    changedAfterPosting: 0,
    erpUnavailable: false,
  };
  const prefix = `${options.numberPrefix.replace(/[\\%_]/g, '\\$&')}%`;
  const { system, table } = flow.trigger.source;
  pass.discovered =
    (
      await pool.query(discoverSql(flow), [
        system,
        table,
        flow.trigger.states,
        prefix,
        flow.id,
        options.batch,
        flow.version,
      ])
    ).rowCount ?? 0;
  await pool.query(retryChangedSql(flow), [flow.id, flow.trigger.states]);
  pass.breached = await markSlaBreaches(pool, flow);

  const state = await flowStateOf(pool, flow.id);
  if (state.state === 'PAUSED') {
    await pool.query(
      `update flow_document set waits_for = $2, updated_at = now() where flow_id = $1 and state = 'WAITING'
          and waits_for is distinct from $2`,
      [flow.id, `the flow is paused (${state.reason ?? 'no reason given'}, by ${state.changedBy})`],
    );
    return pass;
  }

  const { rows } = await pool.query<OpenRow>(openDocumentsSql(flow), [flow.id, options.batch]);
  if (rows.length && flow.fallback !== 'QUEUE') {
    const health = await ctx.erp.health().catch((err: unknown) => ({ ok: false, message: String(err) }));
    if (!(health as { ok: boolean }).ok) {
      pass.erpUnavailable = true;
      if (flow.fallback === 'PAUSE') {
        await pauseFlowBy(pool, flow.id, 'flows', `its fallback: the ERP (${ctx.erp.system}) is unavailable`);
        return pass;
      }
    }
  }
  for (const row of rows) {
    const outcome = await advanceDocument(ctx, steps, row, pass.erpUnavailable);
    pass[outcome]++;
  }
  pass.changedAfterPosting = await flagChangesAfterDone(ctx, options.batch);
  return pass;
}

type Outcome = 'started' | 'done' | 'failed' | 'waiting';

async function advanceDocument(ctx: StepContext, steps: FlowStepSet, row: OpenRow, erpDown: boolean): Promise<Outcome> {
  const { flow, pool } = ctx;
  const doc: CanonicalDocument = row;
  const wait = async (waitsFor: string): Promise<Outcome> => {
    if (waitsFor !== row.waits_for) {
      await pool.query(
        `update flow_document set waits_for = $3, updated_at = now() where flow_id = $1 and canonical_id = $2`,
        [flow.id, doc.canonicalId, waitsFor],
      );
    }
    return 'waiting';
  };
  if (row.deleted || !flow.trigger.states.includes(row.status)) {
    if (row.flow_state === 'WAITING')
      return wait(`its record is ${row.deleted ? 'deleted at the source' : row.status}`);
  }
  let reference = row.action_reference;
  if (row.flow_state === 'WAITING') {
    const problems = (await Promise.all(flow.checks.map((c) => steps.checks[c]!(ctx, doc)))).flat();
    if (problems.length) return fail(ctx, row, problems);
    for (const p of flow.prerequisites) {
      const met = await steps.prerequisites[p]!(ctx, doc);
      if (!met.met) return wait(met.waitsFor);
    }
    if (erpDown && flow.fallback === 'EXCEPTION') {
      await raiseFlowException(
        ctx,
        row,
        {
          code: 'FLOW_ERP_UNAVAILABLE',
          field: null,
          message: `${flow.name}: ${describe(flow, row)} is held while the ERP is unavailable (the flow's fallback); it goes once the ERP answers.`,
        },
        'WARNING',
      );
    }
    const action = await steps.actions[flow.action]!(ctx, doc);
    if (action.kind === 'REFUSED') return fail(ctx, row, action.problems);
    if (action.kind === 'UNAVAILABLE') return wait(`the ERP is unavailable (${action.reason}); queued`);
    reference = action.reference;
    await pool.query(
      `update flow_document set state = 'IN_PROGRESS', action_reference = $3, waits_for = $4, updated_at = now()
        where flow_id = $1 and canonical_id = $2`,
      [flow.id, doc.canonicalId, reference, action.note],
    );
  }
  const completion = await steps.completions[flow.completion]!(ctx, doc, { actionReference: reference });
  if (completion.done) {
    const client = await pool.connect();
    try {
      await client.query('begin');
      const done = await client.query<{ seconds: string | null }>(
        `update flow_document set state = 'DONE', waits_for = null, updated_at = now(),
            done_at = coalesce((select p.posted_at from posting p where p.id::text = $3), now()),
            done_snapshot = $4, done_version = $5
          where flow_id = $1 and canonical_id = $2
          returning extract(epoch from done_at - triggered_at)::text as seconds`,
        [flow.id, doc.canonicalId, reference, JSON.stringify(row.snapshot), row.version],
      );
      if (row.exception_id)
        await resolveException(client, row.exception_id, `${flow.name}: ${completion.note ?? 'done'}`);
      await client.query('commit');
      const seconds = done.rows[0]?.seconds;
      if (seconds != null) recordPosted(flow.id, Number(seconds));
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
    return 'done';
  }
  if ('failed' in completion) return fail(ctx, row, [completion.failed]);
  if (row.flow_state === 'IN_PROGRESS') await wait(completion.reason);
  return row.flow_state === 'WAITING' ? 'started' : 'waiting';
}

const describe = (flow: FlowDefinition, row: CanonicalDocument): string =>
  `${flow.trigger.objectType.toLowerCase().replace('_', ' ')} ${row.number} of ${row.legalEntityId}`;

async function raiseFlowException(
  ctx: StepContext,
  row: OpenRow | (CanonicalDocument & { readonly snapshot?: unknown }),
  problem: FlowProblem,
  severity: 'ERROR' | 'WARNING' = 'ERROR',
): Promise<string> {
  const { flow } = ctx;
  const src = await ctx.pool.query<{ system: string; source_table: string; source_id: string }>(SOURCE_OF, [
    row.canonicalId,
    flow.trigger.source.system,
    flow.trigger.source.table,
  ]);
  const s = src.rows[0];
  const raised = await raiseException(ctx.pool, {
    code: problem.code,
    message: problem.message,
    severity,
    ruleId: `flow:${flow.id}`,
    ruleVersion: flow.version,
    objectType: flow.trigger.objectType,
    field: problem.field,
    legalEntityId: row.legalEntityId,
    source: s ? { system: s.system, table: s.source_table, sourceId: s.source_id } : null,
    canonicalId: row.canonicalId,
    correlationId: row.correlationId,
    sourceEvent: { flow: flow.id, version: flow.version, document: row.number },
    fingerprint: `flow:${flow.id}:${row.canonicalId}:${problem.code}:${problem.field ?? ''}`,
  });
  return raised.id;
}

async function fail(ctx: StepContext, row: OpenRow, problems: readonly FlowProblem[]): Promise<Outcome> {
  const ids: string[] = [];
  for (const p of problems) ids.push(await raiseFlowException(ctx, row, p));
  await ctx.pool.query(
    `update flow_document set state = 'FAILED', failed_version = $3, exception_id = $4::uuid, waits_for = $5,
        updated_at = now() where flow_id = $1 and canonical_id = $2`,
    [ctx.flow.id, row.canonicalId, row.version, ids[0] ?? null, problems.map((p) => p.message).join(' ')],
  );
  return 'failed';
}

async function resolveException(client: PoolClient, id: string, reason: string): Promise<void> {
  await client.query(
    `update exception set status = 'RESOLVED', resolved_at = now(), resolution_reason = $2
      where id = $1 and status = 'OPEN'`,
    [id, reason],
  );
}

/** Marks, once, the open documents that have waited longer than the flow's SLA; announces each breach. */
async function markSlaBreaches(pool: StepContext['pool'], flow: FlowDefinition): Promise<number> {
  const { rows } = await pool.query<{
    canonical_id: string;
    legal_entity_id: string;
    number: string;
    correlation_id: string | null;
    triggered_at: Date;
  }>(
    `update flow_document set sla_breached_at = now()
      where flow_id = $1 and sla_breached_at is null and state in ('WAITING', 'IN_PROGRESS')
        and triggered_at < now() - make_interval(secs => $2)
      returning canonical_id::text, legal_entity_id, number, correlation_id::text, triggered_at`,
    [flow.id, flow.slaSeconds],
  );
  for (const r of rows) {
    await writeOutbox(pool, {
      aggregateType: 'FLOW',
      aggregateId: r.canonical_id,
      correlationId: r.correlation_id ?? r.canonical_id,
      eventType: 'FLOW_SLA_BREACHED',
      oldStatus: null,
      newStatus: 'SLA_BREACHED',
      legalEntityId: r.legal_entity_id,
      payload: { flowId: flow.id, number: r.number, slaSeconds: flow.slaSeconds, triggeredAt: r.triggered_at },
    });
  }
  recordSlaBreaches(flow.id, rows.length);
  return rows.length;
}

/** A done document whose record changed since: an exception naming the changed fields; nothing is redone. */
async function flagChangesAfterDone(ctx: StepContext, batch: number): Promise<number> {
  const { flow, pool } = ctx;
  const { rows } = await pool.query<
    CanonicalDocument & {
      deleted: boolean;
      snapshot: Record<string, unknown>;
      done_snapshot: Record<string, unknown>;
      action_reference: string | null;
    }
  >(changedAfterDoneSql(flow), [flow.id, batch]);
  let flagged = 0;
  for (const r of rows) {
    const fields = r.deleted ? ['deleted at the source'] : changedFields(r.done_snapshot, r.snapshot);
    if (!fields.length) {
      await pool.query(`update flow_document set done_version = $3 where flow_id = $1 and canonical_id = $2`, [
        flow.id,
        r.canonicalId,
        r.version,
      ]);
      continue;
    }
    const id = await raiseFlowException(ctx, r, {
      code: r.deleted ? 'DELETED_AFTER_POSTING' : 'CHANGED_AFTER_POSTING',
      field: r.deleted ? null : fields.map((f) => f.split(':')[0]).join(','),
      message: `${flow.name}: ${describe(flow, r)} was ${r.deleted ? 'deleted at its source' : `changed at its source (${fields.join('; ')})`} after it was posted to the ERP (posting ${r.action_reference ?? '?'}); it is not posted again: decide whether to issue a credit note, reverse it, or ignore the change.`,
    });
    await pool.query(
      `update flow_document set changed_exception_id = $3::uuid, updated_at = now() where flow_id = $1 and canonical_id = $2`,
      [flow.id, r.canonicalId, id],
    );
    flagged++;
  }
  return flagged;
}
