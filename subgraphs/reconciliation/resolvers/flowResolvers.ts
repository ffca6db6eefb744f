import { loadPostingPolicy } from '../../../erp/posting/PostingPolicy';
import { flowStateOf, setFlowState } from '../../../flows/engine/flowState';
import { FLOW_DEFINITIONS, policyFor, type FlowDefinition } from '../../../flows/registry';
import { missingSteps } from '../../../flows/steps/stepRegistry';
import type { CanonicalEventSource } from '../../shared/canonicalEvents';
import { subscribeTo } from '../../shared/subscribeTo';
import type { Ctx } from './Ctx';

const LEGAL_ENTITIES = ['FS-EU', 'FS-US'];
/** Approval amounts live in one place, the posting policy; the API shows them beside each flow's mode. */
const POSTING_POLICY = loadPostingPolicy();

const STATS = `
  select legal_entity_id,
         count(*) filter (where state = 'WAITING')::int as waiting,
         count(*) filter (where state = 'IN_PROGRESS')::int as in_progress,
         count(*) filter (where state = 'DONE')::int as posted,
         count(*) filter (where state = 'FAILED')::int as failed,
         min(triggered_at) filter (where state in ('WAITING', 'IN_PROGRESS')) as oldest_waiting,
         count(*) filter (where sla_breached_at is not null)::int as sla_breaches,
         percentile_cont(0.5) within group (order by extract(epoch from done_at - triggered_at))
           filter (where state = 'DONE') as p50,
         percentile_cont(0.95) within group (order by extract(epoch from done_at - triggered_at))
           filter (where state = 'DONE') as p95
    from flow_document where flow_id = $1 and ($2::text is null or legal_entity_id = $2)
   group by legal_entity_id order by legal_entity_id`;

interface StatsRow {
  legal_entity_id: string;
  waiting: number;
  in_progress: number;
  posted: number;
  failed: number;
  oldest_waiting: Date | null;
  sla_breaches: number;
  p50: number | null;
  p95: number | null;
}

/** A flow as the API shows it: its definition, and its state read per request. */
async function toFlow(ctx: Ctx, d: FlowDefinition) {
  const state = await flowStateOf(ctx.db, d.id);
  return {
    id: d.id,
    version: d.version,
    name: d.name,
    description: d.description,
    owner: d.owner,
    objectType: d.trigger.objectType,
    sourceSystem: d.trigger.source.system,
    sourceTable: d.trigger.source.table,
    triggerStates: d.trigger.states,
    prerequisites: d.prerequisites,
    checks: d.checks,
    action: d.action,
    policy: {
      default: d.policy.default,
      legalEntities: LEGAL_ENTITIES.map((e) => {
        const mode = policyFor(d, e);
        const thresholds = mode === 'APPROVAL_ABOVE_THRESHOLD' ? (POSTING_POLICY.approvalThresholds[e] ?? {}) : {};
        return {
          legalEntityId: e,
          mode,
          approvalThresholds: Object.entries(thresholds).map(([currency, amount]) => ({ amount, currency })),
        };
      }),
    },
    fallback: d.fallback,
    slaSeconds: d.slaSeconds,
    state: state.state,
    stateReason: state.reason,
    stateChangedBy: state.changedAt ? state.changedBy : null,
    stateChangedAt: state.changedAt?.toISOString() ?? null,
    implemented: missingSteps(d).length === 0,
  };
}

type FlowOut = Awaited<ReturnType<typeof toFlow>>;

async function changeState(
  ctx: Ctx,
  args: { id: string; reason: string },
  state: 'RUNNING' | 'PAUSED',
): Promise<{ flow: FlowOut | null; userErrors: Array<{ code: string; field: string | null; message: string }> }> {
  const d = FLOW_DEFINITIONS.find((f) => f.id === args.id);
  if (!d) {
    return {
      flow: null,
      userErrors: [
        {
          code: 'NOT_FOUND',
          field: 'id',
          message: `No flow ${args.id}; known flows: ${FLOW_DEFINITIONS.map((f) => f.id).join(', ')}.`,
        },
      ],
    };
  }
  if (!args.reason.trim()) {
    return { flow: null, userErrors: [{ code: 'INVALID_FIELD', field: 'reason', message: 'A reason is required.' }] };
  }
  const changed = await setFlowState(ctx.db, {
    flowId: d.id,
    state,
    by: ctx.principal.subject,
    reason: args.reason,
    correlationId: ctx.correlationId,
  });
  const flow = await toFlow(ctx, d);
  if (!changed) {
    return {
      flow,
      userErrors: [
        {
          code: state === 'PAUSED' ? 'ALREADY_PAUSED' : 'NOT_PAUSED',
          field: 'id',
          message: `Flow ${d.id} is already ${state === 'PAUSED' ? 'paused' : 'running'}.`,
        },
      ],
    };
  }
  return { flow, userErrors: [] };
}

/** Query.flows / flow, Flow.stats, pauseFlow / resumeFlow, flowStateChanged / flowSlaBreached. */
export function flowResolvers(events: CanonicalEventSource) {
  return {
    Query: {
      flows: (_: unknown, __: unknown, ctx: Ctx) => Promise.all(FLOW_DEFINITIONS.map((d) => toFlow(ctx, d))),
      flow: async (_: unknown, args: { id: string }, ctx: Ctx) => {
        const d = FLOW_DEFINITIONS.find((f) => f.id === args.id);
        return d ? toFlow(ctx, d) : null;
      },
    },
    Flow: {
      stats: async (flow: FlowOut, args: { legalEntityId?: string | null }, ctx: Ctx) => {
        const { rows } = await ctx.db.query<StatsRow>(STATS, [flow.id, args.legalEntityId ?? null]);
        const byEntity = new Map(rows.map((r) => [r.legal_entity_id, r]));
        const entities = args.legalEntityId
          ? [args.legalEntityId]
          : LEGAL_ENTITIES.filter((e) => ctx.principal.legalEntities.includes(e));
        return entities.map((e) => {
          const r = byEntity.get(e);
          return {
            legalEntityId: e,
            waiting: r?.waiting ?? 0,
            inProgress: r?.in_progress ?? 0,
            posted: r?.posted ?? 0,
            failed: r?.failed ?? 0,
            oldestWaitingSince: r?.oldest_waiting?.toISOString() ?? null,
            slaBreaches: r?.sla_breaches ?? 0,
            latencyP50Seconds: r?.p50 ?? null,
            latencyP95Seconds: r?.p95 ?? null,
            slaSeconds: flow.slaSeconds,
          };
        });
      },
    },
    Mutation: {
      pauseFlow: (_: unknown, args: { id: string; reason: string }, ctx: Ctx) => changeState(ctx, args, 'PAUSED'),
      resumeFlow: (_: unknown, args: { id: string; reason: string }, ctx: Ctx) => changeState(ctx, args, 'RUNNING'),
    },
    Subscription: {
      flowStateChanged: {
        subscribe: (_: unknown, args: { flowId?: string | null }, ctx: Ctx) =>
          subscribeTo(events, ['FLOW'], async (e) => {
            if (e.eventType !== 'FLOW_STATE_CHANGED') return null;
            const p = e.payload as { flowId: string; state: string; reason: string | null; by: string };
            if (args.flowId && p.flowId !== args.flowId) return null;
            const d = FLOW_DEFINITIONS.find((f) => f.id === p.flowId);
            if (!d) return null;
            return {
              flow: await toFlow(ctx, d),
              previousState: e.oldStatus,
              state: p.state,
              by: p.by,
              reason: p.reason,
              changedAt: e.createdAt,
            };
          }),
        resolve: (payload: unknown) => payload,
      },
      flowSlaBreached: {
        subscribe: (_: unknown, args: { flowId?: string | null; legalEntityId?: string | null }, ctx: Ctx) =>
          subscribeTo(events, ['FLOW'], async (e) => {
            if (e.eventType !== 'FLOW_SLA_BREACHED' || !e.legalEntityId) return null;
            if (!ctx.principal.legalEntities.includes(e.legalEntityId)) return null;
            if (args.legalEntityId && e.legalEntityId !== args.legalEntityId) return null;
            const p = e.payload as { flowId: string; number: string; slaSeconds: number; triggeredAt: string };
            if (args.flowId && p.flowId !== args.flowId) return null;
            return {
              flowId: p.flowId,
              legalEntityId: e.legalEntityId,
              number: p.number,
              canonicalId: e.aggregateId,
              triggeredAt: p.triggeredAt,
              slaSeconds: p.slaSeconds,
            };
          }),
        resolve: (payload: unknown) => payload,
      },
    },
  };
}
