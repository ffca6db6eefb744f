import { GraphQLError } from 'graphql';
import { permissionsOf } from '../../../security/roles';
import type { CanonicalEventSource } from '../../shared/canonicalEvents';
import { loadConnection } from '../../shared/connection';
import { assertUuid, iso } from '../../shared/ids';
import { pageSize } from '../../shared/listQuery';
import { subscribeTo } from '../../shared/subscribeTo';
import { money } from '../../shared/money';
import { actOnException, type ExceptionAction } from '../exceptions/actOnException';
import { decideDuplicateVendor, type VendorDecision } from '../exceptions/decideDuplicateVendor';
import { holdingKey, parkedChange, type ParkedRow } from './parkedChange';
import {
  EXCEPTION_COLUMNS,
  EXCEPTION_SORTS,
  EXCEPTIONS_BY_IDS,
  WAITING_DOCUMENTS,
  exceptionConditions,
  type ExceptionActionRow,
  type ExceptionFilter,
  type ExceptionRow,
} from '../sql/exceptions';
import { FLOWS } from '../flows/flows';
import { CDC_FRESHNESS, type FreshnessRow } from '../sql/cdcFreshness';
import { AGE_BUCKETS, agingQuery, hourlyQuery } from '../sql/exceptionTrends';
import type { Ctx } from './Ctx';

interface ListArgs {
  readonly filter?: ExceptionFilter | null;
  readonly sort?: { readonly field: string; readonly direction: 'ASC' | 'DESC' } | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

const act =
  (action: ExceptionAction) =>
  async (_: unknown, args: { id: string; reason: string; owner?: string | null }, ctx: Ctx) => {
    const id = assertUuid(args.id, 'id');
    const out = await actOnException(ctx.db, {
      id,
      action,
      reason: args.reason,
      actor: ctx.principal.subject,
      correlationId: ctx.correlationId,
      owner: args.owner ?? null,
    });
    const { rows } = await ctx.db.query<ExceptionRow>(EXCEPTIONS_BY_IDS, [[id]]);
    return { exception: rows[0] ?? null, userErrors: out.ok ? [] : [out.error] };
  };

/** The change an exception event stands for, in the words of `ExceptionStatusChange.change`. */
const CHANGE_OF_EVENT: Readonly<Record<string, string>> = {
  EXCEPTION_RAISED: 'RAISED',
  EXCEPTION_RETRY_REQUESTED: 'RETRY_REQUESTED',
  EXCEPTION_RESOLVED: 'RESOLVED',
  EXCEPTION_IGNORED: 'IGNORED',
  EXCEPTION_ASSIGNED: 'ASSIGNED',
  EXCEPTION_DECISION_REQUESTED: 'DECISION_REQUESTED',
};

/** `resolveDuplicateVendor`: the steward's decision, recorded for the pipeline to carry out. */
async function resolveDuplicateVendor(
  _: unknown,
  args: { id: string; decision: VendorDecision; reason: string },
  ctx: Ctx,
) {
  const id = assertUuid(args.id, 'id');
  const out = await decideDuplicateVendor(ctx.db, {
    id,
    decision: args.decision,
    reason: args.reason,
    actor: ctx.principal.subject,
    correlationId: ctx.correlationId,
  });
  const { rows } = await ctx.db.query<ExceptionRow>(EXCEPTIONS_BY_IDS, [[id]]);
  return { exception: rows[0] ?? null, userErrors: out.ok ? [] : [out.error] };
}

const MAX_TREND_HOURS = 168;

/** The exception work queue: query, retry / resolve / ignore (audited), exceptionRaised. */
export function exceptionResolvers(events: CanonicalEventSource) {
  return {
    Query: {
      exceptionAging: async (_: unknown, args: { filter?: ExceptionFilter | null }, ctx: Ctx) => {
        const q = agingQuery(exceptionConditions(args.filter));
        const { rows } = await ctx.db.query<Record<string, number>>(q.text, q.values);
        return AGE_BUCKETS.map((b, i) => ({
          bucket: b.bucket,
          minAgeHours: b.min,
          maxAgeHours: b.max,
          count: rows[0]?.[`b${i}`] ?? 0,
        }));
      },
      exceptionCountsByHour: async (
        _: unknown,
        args: { filter?: ExceptionFilter | null; hours?: number | null },
        ctx: Ctx,
      ) => {
        const hours = args.hours ?? 24;
        if (!Number.isInteger(hours) || hours < 1 || hours > MAX_TREND_HOURS) {
          throw new GraphQLError(`hours: must be an integer from 1 to ${MAX_TREND_HOURS}, got ${hours}`, {
            extensions: { code: 'BAD_USER_INPUT', argumentName: 'hours' },
          });
        }
        const q = hourlyQuery(exceptionConditions(args.filter), hours);
        const { rows } = await ctx.db.query<{ hour: Date; raised: number; closed: number }>(q.text, q.values);
        return rows.map((r) => ({ hour: iso(r.hour), raised: r.raised, closed: r.closed }));
      },
      me: (_: unknown, _args: unknown, ctx: Ctx) => ({
        subject: ctx.principal.subject,
        roles: ctx.principal.roles,
        legalEntities: ctx.principal.legalEntities,
        permissions: [...permissionsOf(ctx.principal)],
      }),
      cdcFreshness: async (_: unknown, _args: unknown, ctx: Ctx) => {
        const { rows } = await ctx.db.query<FreshnessRow>(CDC_FRESHNESS);
        return rows.map((r) => ({
          system: r.system,
          lastAppliedAt: iso(r.applied_at),
          lastSourceCommitAt: iso(r.committed_at),
          lagSeconds: r.lag_seconds,
          secondsSinceLastApplied: r.since_seconds,
        }));
      },
      exception: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.loaders.exception.load(assertUuid(args.id, 'id')),
      exceptions: (_: unknown, args: ListArgs, ctx: Ctx) =>
        loadConnection<ExceptionRow & { sort_value: string | null }, ExceptionRow>(
          ctx.db,
          {
            select: EXCEPTION_COLUMNS,
            from: 'exception e',
            idExpr: 'e.id',
            where: exceptionConditions(args.filter),
            sort: EXCEPTION_SORTS[args.sort?.field ?? 'CREATED_AT'] ?? EXCEPTION_SORTS.CREATED_AT!,
            direction: args.sort?.direction ?? 'ASC',
            first: pageSize(args.first),
            after: args.after,
          },
          { amountExpr: '0', currencyExpr: "''" },
          (row) => {
            ctx.loaders.exception.prime(row.id, row);
            return row;
          },
        ),
    },
    Mutation: {
      resolveDuplicateVendor,
      retryException: act('RETRY'),
      resolveException: act('RESOLVE'),
      ignoreException: act('IGNORE'),
      assignException: act('ASSIGN'),
    },
    Subscription: {
      exceptionRaised: {
        subscribe: (
          _: unknown,
          args: { legalEntityId?: string | null; code?: readonly string[] | null; objectType?: string | null },
          ctx: Ctx,
        ) =>
          subscribeTo(events, ['EXCEPTION'], async (e) => {
            if (e.eventType !== 'EXCEPTION_RAISED') return null;
            if (args.legalEntityId && e.legalEntityId !== args.legalEntityId) return null;
            const { rows } = await ctx.db.query<ExceptionRow>(EXCEPTIONS_BY_IDS, [[e.aggregateId]]);
            const exception = rows[0];
            if (!exception) return null;
            if (args.code?.length && !args.code.includes(exception.code)) return null;
            if (args.objectType && exception.object_type !== args.objectType) return null;
            return { exception, correlationId: e.correlationId, raisedAt: e.createdAt };
          }),
        resolve: (payload: unknown) => payload,
      },
      exceptionStatusChanged: {
        subscribe: (
          _: unknown,
          args: { legalEntityId?: string | null; code?: readonly string[] | null; status?: readonly string[] | null },
          ctx: Ctx,
        ) =>
          subscribeTo(events, ['EXCEPTION'], async (e) => {
            const change = CHANGE_OF_EVENT[e.eventType];
            if (!change) return null;
            if (args.legalEntityId && e.legalEntityId !== args.legalEntityId) return null;
            if (args.status?.length && !args.status.includes(e.newStatus ?? '')) return null;
            // Re-read under the subscriber's scope: an exception of another legal entity is not theirs to see.
            const { rows } = await ctx.db.query<ExceptionRow>(EXCEPTIONS_BY_IDS, [[e.aggregateId]]);
            const exception = rows[0];
            if (!exception) return null;
            if (args.code?.length && !args.code.includes(exception.code)) return null;
            return {
              exception,
              change,
              previousStatus: e.oldStatus,
              status: e.newStatus ?? exception.status,
              correlationId: e.correlationId,
              changedAt: e.createdAt,
            };
          }),
        resolve: (payload: unknown) => payload,
      },
    },
    Exception: {
      flowId: (e: ExceptionRow) =>
        e.source_system && e.source_table
          ? (FLOWS.find(
              (f) =>
                f.source.system === e.source_system &&
                (f.source.table === e.source_table || f.source.childTables.includes(e.source_table!)),
            )?.id ?? null)
          : null,
      ruleId: (e: ExceptionRow) => e.rule_id,
      ruleVersion: (e: ExceptionRow) => e.rule_version,
      objectType: (e: ExceptionRow) => e.object_type,
      legalEntityId: (e: ExceptionRow) => e.legal_entity_id,
      sourceSystem: (e: ExceptionRow) => e.source_system,
      sourceTable: (e: ExceptionRow) => e.source_table,
      sourceId: (e: ExceptionRow) => e.source_id,
      canonicalId: (e: ExceptionRow) => e.canonical_id,
      correlationId: (e: ExceptionRow) => e.correlation_id,
      resolutionReason: (e: ExceptionRow) => e.resolution_reason,
      createdAt: (e: ExceptionRow) => iso(e.created_at),
      resolvedAt: (e: ExceptionRow) => iso(e.resolved_at),
      ageSeconds: (e: ExceptionRow) => e.age_seconds,
      retryCount: (e: ExceptionRow) => e.retry_count,
      lastRetryAt: (e: ExceptionRow) => iso(e.last_retry_at),
      sourceEvent: (e: ExceptionRow) => (e.source_event === null ? null : JSON.stringify(e.source_event)),
      actions: (e: ExceptionRow, _: unknown, ctx: Ctx) => ctx.loaders.actions.load(e.id),
      waiting: async (e: ExceptionRow, _: unknown, ctx: Ctx) => {
        const rows = await ctx.loaders.waiting.load(e.id);
        const since = rows.map((r) => r.since).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
        return {
          count: rows.reduce((n, r) => n + r.count, 0),
          totals: rows.filter((r) => r.currency && r.amount !== null).map((r) => money(r.amount, r.currency!)),
          lines: rows.reduce((n, r) => n + r.lines, 0),
          oldestSince: iso(since),
        };
      },
      waitingDocuments: async (e: ExceptionRow, args: { first?: number | null }, ctx: Ctx) => {
        const { rows } = await ctx.db.query<ParkedRow>(WAITING_DOCUMENTS, [e.id, pageSize(args.first)]);
        return rows.map(parkedChange);
      },
    },
    ParkedChange: {
      heldBy: (p: { prerequisiteType: string; prerequisiteKey: string }, _: unknown, ctx: Ctx) =>
        ctx.loaders.holding.load(holdingKey(p)),
    },
    ExceptionActionRecord: {
      correlationId: (a: ExceptionActionRow) => a.correlation_id,
      statusBefore: (a: ExceptionActionRow) => a.status_before,
      statusAfter: (a: ExceptionActionRow) => a.status_after,
      at: (a: ExceptionActionRow) => iso(a.at),
      processedAt: (a: ExceptionActionRow) => iso(a.processed_at),
      ownerBefore: (a: ExceptionActionRow) => a.owner_before,
      ownerAfter: (a: ExceptionActionRow) => a.owner_after,
    },
  };
}
