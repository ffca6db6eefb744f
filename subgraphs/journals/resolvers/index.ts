import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { Decimal } from '../../../canonical-schema/money/Decimal';
import type { CanonicalEventSource } from '../../shared/canonicalEvents';
import { loadConnection } from '../../shared/connection';
import { assertUuid, iso, isUuid } from '../../shared/ids';
import { buildWhere, pageSize } from '../../shared/listQuery';
import { money } from '../../shared/money';
import type { RequestContext } from '../../shared/RequestContext';
import { canonicalIdBySource, toSourceReference } from '../../shared/sourceReferences';
import { subscribeTo } from '../../shared/subscribeTo';
import type { JournalLoaders } from '../loaders/createLoaders';
import {
  JOURNAL_COLUMNS,
  JOURNAL_FROM,
  JOURNAL_SORTS,
  JOURNALS_BY_IDS,
  journalConditions,
  type JournalEntryFilter,
  type JournalLineRow,
  type JournalRow,
} from '../sql/journals';

type Ctx = RequestContext<JournalLoaders>;

interface ListArgs {
  readonly filter?: JournalEntryFilter | null;
  readonly sort?: { readonly field: string; readonly direction: 'ASC' | 'DESC' } | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

/** Sum of one side of the lines per currency, in currency order. */
function sums(lines: readonly JournalLineRow[], side: 'debit' | 'credit') {
  const by = new Map<string, Decimal>();
  for (const l of lines) by.set(l.currency.trim(), (by.get(l.currency.trim()) ?? new Decimal(0)).plus(l[side]));
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([cur, d]) => money(d.toFixed(), cur));
}

/** The journals subgraph's resolvers; `journalPosted` reads `events`. */
export function createResolvers(events: CanonicalEventSource): GraphQLResolverMap<Ctx> {
  return {
    Query: {
      journalEntry: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.loaders.journal.load(assertUuid(args.id, 'id')),
      journalEntryBySourceReference: async (
        _: unknown,
        args: { system: string; sourceId: string; sourceTable?: string | null },
        ctx: Ctx,
      ) => {
        const id = await canonicalIdBySource(ctx.db, 'JOURNAL_ENTRY', args);
        return id ? ctx.loaders.journal.load(id) : null;
      },
      journalEntries: (_: unknown, args: ListArgs, ctx: Ctx) =>
        loadConnection<JournalRow & { sort_value: string | null }, JournalRow>(
          ctx.db,
          {
            select: JOURNAL_COLUMNS,
            from: JOURNAL_FROM,
            idExpr: 'j.id',
            where: journalConditions(args.filter),
            sort: JOURNAL_SORTS[args.sort?.field ?? 'TRANSACTION_DATE'] ?? JOURNAL_SORTS.TRANSACTION_DATE!,
            direction: args.sort?.direction ?? 'ASC',
            first: pageSize(args.first),
            after: args.after,
          },
          // Replaced below: an entry's amount lives in its lines (totals join them, counting distinct entries).
          { amountExpr: '0', currencyExpr: "''" },
          (row) => {
            ctx.loaders.journal.prime(row.id, row);
            return row;
          },
        ).then((conn) => ({
          ...conn,
          totals: () => journalTotals(ctx, args.filter),
          totalCount: () => journalCount(ctx, args.filter),
        })),
    },
    Subscription: {
      journalPosted: {
        subscribe: (_: unknown, args: { legalEntityId?: string | null; status?: readonly string[] | null }, ctx: Ctx) =>
          subscribeTo(events, ['JOURNAL_ENTRY'], async (e) => {
            if (!e.newStatus || e.oldStatus === e.newStatus) return null;
            if (args.legalEntityId && e.legalEntityId !== args.legalEntityId) return null;
            if (args.status?.length && !args.status.includes(e.newStatus)) return null;
            const { rows } = await ctx.db.query<JournalRow>(JOURNALS_BY_IDS, [[e.aggregateId]]);
            const journalEntry = rows[0];
            if (!journalEntry) return null;
            return {
              journalEntry,
              previousStatus: e.oldStatus,
              status: e.newStatus,
              correlationId: e.correlationId,
              changedAt: e.createdAt,
            };
          }),
        resolve: (payload: unknown) => payload,
      },
    },
    JournalEntry: {
      __resolveReference: (ref: { id: string }, ctx: Ctx) => (isUuid(ref.id) ? ctx.loaders.journal.load(ref.id) : null),
      legalEntityId: (r: JournalRow) => r.legal_entity_id,
      journalType: (r: JournalRow) => r.journal_type,
      transactionDate: (r: JournalRow) => r.transaction_date,
      accountingPeriod: (r: JournalRow) =>
        r.period_fiscal_year === null
          ? null
          : {
              fiscalYear: r.period_fiscal_year,
              periodNumber: r.period_number,
              startDate: r.period_start,
              endDate: r.period_end,
              status: r.period_status,
            },
      postingStatus: (r: JournalRow) => r.posting_status,
      lines: (r: JournalRow, _: unknown, ctx: Ctx) => ctx.loaders.lines.load(r.id),
      totalDebits: async (r: JournalRow, _: unknown, ctx: Ctx) => sums(await ctx.loaders.lines.load(r.id), 'debit'),
      totalCredits: async (r: JournalRow, _: unknown, ctx: Ctx) => sums(await ctx.loaders.lines.load(r.id), 'credit'),
      sourceDocument: (r: JournalRow) =>
        r.source_document_id && (r.source_document_type === 'INVOICE' || r.source_document_type === 'PAYMENT')
          ? { __typename: r.source_document_type === 'INVOICE' ? 'Invoice' : 'Payment', id: r.source_document_id }
          : null,
      sourceReferences: async (r: JournalRow, _: unknown, ctx: Ctx) =>
        (await ctx.loaders.sourceReferences.load(r.id)).map(toSourceReference),
      correlationId: (r: JournalRow) => r.correlation_id,
      sourceUpdatedAt: (r: JournalRow) => iso(r.source_updated_at),
      canonicalUpdatedAt: (r: JournalRow) => iso(r.canonical_updated_at),
      deletedAtSource: (r: JournalRow) => r.deleted_at_source,
      mappingVersion: (r: JournalRow) => r.mapping_version,
    },
    SourceDocument: {
      __resolveType: (d: { __typename: string }) => d.__typename,
    },
    JournalLine: {
      lineNumber: (l: JournalLineRow) => l.line_number,
      accountCode: (l: JournalLineRow) => l.account_code,
      debit: (l: JournalLineRow) => money(l.debit, l.currency),
      credit: (l: JournalLineRow) => money(l.credit, l.currency),
      dimensions: (l: JournalLineRow) => Object.entries(l.dimensions ?? {}).map(([type, code]) => ({ type, code })),
    },
    Invoice: {
      __resolveReference: (ref: { id: string }) => ref,
      journalEntries: (d: { id: string }, _: unknown, ctx: Ctx) =>
        isUuid(d.id) ? ctx.loaders.bySourceDocument.load(d.id) : [],
    },
    Payment: {
      __resolveReference: (ref: { id: string }) => ref,
      journalEntries: (d: { id: string }, _: unknown, ctx: Ctx) =>
        isUuid(d.id) ? ctx.loaders.bySourceDocument.load(d.id) : [],
    },
  } as GraphQLResolverMap<Ctx>;
}

/** Entries matching the filter and their debits, per line currency. */
async function journalTotals(ctx: Ctx, filter: JournalEntryFilter | null | undefined) {
  const where = buildWhere(journalConditions(filter));
  const { rows } = await ctx.db.query<{ currency: string; count: number; amount: string }>(
    `select jl.currency, count(distinct j.id)::int as count, sum(jl.debit)::text as amount
       from ${JOURNAL_FROM} join journal_line jl on jl.journal_entry_id = j.id ${where.text}
      group by jl.currency order by jl.currency`,
    where.values,
  );
  return rows.map((r) => ({ currency: r.currency.trim(), count: r.count, sum: money(r.amount, r.currency) }));
}

async function journalCount(ctx: Ctx, filter: JournalEntryFilter | null | undefined): Promise<number> {
  const where = buildWhere(journalConditions(filter));
  const { rows } = await ctx.db.query<{ n: number }>(
    `select count(*)::int as n from ${JOURNAL_FROM} ${where.text}`,
    where.values,
  );
  return rows[0]?.n ?? 0;
}
