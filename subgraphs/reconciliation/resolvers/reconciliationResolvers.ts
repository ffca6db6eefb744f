import { Decimal } from '../../../canonical-schema/money/Decimal';
import { GraphQLError } from 'graphql';
import { abortableIterator } from '../../shared/abortableIterator';
import type { CanonicalEventSource } from '../../shared/canonicalEvents';
import { money } from '../../shared/money';
import { periodRange } from '../../shared/periodRange';
import type { FlowDefinition, FlowScope } from '../flows/FlowDefinition';
import { FLOWS } from '../flows/flows';
import {
  reconcileFlow,
  type FlowReconciliation,
  type ReconcileDeps,
  type StageControl,
} from '../reconcile/reconcileFlow';
import type { RecordDifference } from '../reconcile/RecordDifference';
import type { SourceDatabases } from '../sources/SourceDatabases';
import { canonicalRecordRef } from './auditResolvers';
import type { Ctx } from './Ctx';

/** Changes arriving within this window are reconciled once (a burst of events, one recomputation). */
const DEBOUNCE_MS = 1_000;

interface ScopeArgs {
  readonly legalEntityId: string;
  readonly period: string;
  readonly numberPrefix?: string | null;
}

function flowById(id: string): FlowDefinition {
  const flow = FLOWS.find((f) => f.id === id);
  if (!flow) {
    throw new GraphQLError(
      `flow: "${id}" is not a reconciliation flow; known flows: ${FLOWS.map((f) => f.id).join(', ')}`,
      {
        extensions: { code: 'BAD_USER_INPUT', argumentName: 'flow' },
      },
    );
  }
  return flow;
}

function scopeOf(flow: FlowDefinition, args: ScopeArgs): FlowScope {
  const range = periodRange(args.period, 'period');
  return {
    legalEntityId: args.legalEntityId,
    from: flow.periodic ? range.from : '0001-01-01',
    to: flow.periodic ? range.to : '9999-12-31',
    numberPrefix: args.numberPrefix ?? '',
  };
}

/** Per currency, one stage's totals minus the next's. */
function stageDifference(a: StageControl, b: StageControl) {
  const currencies = [...new Set([...a.totals, ...b.totals].map((t) => t.currency))].sort();
  const sum = (s: StageControl, cur: string) => new Decimal(s.totals.find((t) => t.currency === cur)?.sum.amount ?? 0);
  return {
    from: a.stage,
    to: b.stage,
    countDifference: (a.count ?? 0) - (b.count ?? 0),
    totals: currencies.map((cur) => money(sum(a, cur).minus(sum(b, cur)).toFixed(), cur)),
  };
}

/** GraphQL's `FlowReconciliation` from a computed one. */
export function toGraphQL(r: FlowReconciliation) {
  const available = r.stages.filter((s) => s.status === 'AVAILABLE');
  return {
    flow: r.flow,
    legalEntityId: r.legalEntityId,
    period: r.period,
    status: r.status,
    stages: r.stages,
    stageDifferences: available.slice(1).map((s, i) => stageDifference(available[i]!, s)),
    differenceCount: r.differences.length,
    differences: r.differences,
    checkedAt: r.checkedAt,
  };
}

/** Reconciliation reports, the live `reconciliationChanged`, and the types they return. */
export function reconciliationResolvers(events: CanonicalEventSource, sources: SourceDatabases, graceSeconds: number) {
  const deps = (ctx: Ctx): ReconcileDeps => ({ db: ctx.db, sources, graceSeconds });
  return {
    Query: {
      reconciliationFlows: () => FLOWS,
      reconciliation: async (_: unknown, args: ScopeArgs & { flow: string }, ctx: Ctx) => {
        const flow = flowById(args.flow);
        return toGraphQL(await reconcileFlow(deps(ctx), flow, scopeOf(flow, args), args.period));
      },
      reconciliations: (_: unknown, args: ScopeArgs, ctx: Ctx) =>
        Promise.all(
          FLOWS.map(async (f) => toGraphQL(await reconcileFlow(deps(ctx), f, scopeOf(f, args), args.period))),
        ),
    },
    Subscription: {
      reconciliationChanged: {
        subscribe: (_: unknown, args: ScopeArgs & { flow: string; status?: readonly string[] | null }, ctx: Ctx) => {
          const flow = flowById(args.flow);
          const scope = scopeOf(flow, args);
          const relevant = (e: { aggregateType: string; legalEntityId: string | null; payload: unknown }) =>
            (e.legalEntityId === null || e.legalEntityId === scope.legalEntityId) &&
            (e.aggregateType === flow.objectType ||
              (e.aggregateType === 'EXCEPTION' &&
                (e.payload as { source?: { system?: string } } | null)?.source?.system === flow.source.system));
          return abortableIterator(async function* (signal) {
            let dirty = false;
            const waker: { wake: (() => void) | null } = { wake: null };
            void (async () => {
              for await (const e of events.events([flow.objectType, 'EXCEPTION'], signal)) {
                if (!relevant(e)) continue;
                dirty = true;
                waker.wake?.();
              }
            })();
            let previous = null as { status: string; key: string } | null;
            while (!signal.aborted) {
              const r = toGraphQL(await reconcileFlow(deps(ctx), flow, scope, args.period));
              const key = JSON.stringify([
                r.status,
                r.stages,
                r.differences.map((d) => [d.sourceId, d.reason, d.status]),
              ]);
              if (key !== previous?.key && (!args.status?.length || args.status.includes(r.status))) {
                yield { reconciliation: r, previousStatus: previous?.status ?? null, changedAt: r.checkedAt };
              }
              previous = { status: r.status, key };
              if (!dirty) {
                await new Promise<void>((resolve) => {
                  waker.wake = resolve;
                  signal.addEventListener('abort', () => resolve(), { once: true });
                });
              }
              waker.wake = null;
              await new Promise((resolve) => setTimeout(resolve, DEBOUNCE_MS));
              dirty = false;
            }
          });
        },
        resolve: (payload: unknown) => payload,
      },
    },
    ReconciliationFlow: {
      sourceSystem: (f: FlowDefinition) => f.source.system,
      sourceTable: (f: FlowDefinition) => f.source.table,
    },
    RecordDifference: {
      exception: (d: RecordDifference, _: unknown, ctx: Ctx) =>
        d.exceptionId ? ctx.loaders.exception.load(d.exceptionId) : null,
      invoice: (d: RecordDifference) => entity(d, 'INVOICE'),
      payment: (d: RecordDifference) => entity(d, 'PAYMENT'),
      journalEntry: (d: RecordDifference) => entity(d, 'JOURNAL_ENTRY'),
      vendor: (d: RecordDifference) => entity(d, 'VENDOR'),
    },
  };
}

function entity(d: RecordDifference, objectType: string) {
  const flow = FLOWS.find((f) => f.id === d.flowId);
  if (!d.canonicalId || flow?.objectType !== objectType) return null;
  return canonicalRecordRef(objectType, d.canonicalId).invoice ?? { id: d.canonicalId };
}
