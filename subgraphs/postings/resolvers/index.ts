import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { PostingPayload } from '../../../erp/posting/Posting';
import type { PostingService } from '../../../erp/posting/createPostingService';
import { GraphQLError } from 'graphql';
import type { CanonicalEventSource } from '../../shared/canonicalEvents';
import { loadConnection } from '../../shared/connection';
import { pageSize } from '../../shared/listQuery';
import { postingConditions, postingHourlyQuery, POSTING_SORTS, type PostingFilter } from '../sql/postingList';
import { assertUuid, iso, isUuid } from '../../shared/ids';
import { money } from '../../shared/money';
import type { RequestContext } from '../../shared/RequestContext';
import { subscribeTo } from '../../shared/subscribeTo';
import { WAITING_FOR_VENDOR } from '../../../erp/sql/postingSql';
import { POSTING_COLUMNS, type PostingLoaders, type PostingRecord } from '../loaders/createLoaders';

type Ctx = RequestContext<PostingLoaders>;

interface ConnectionArgs {
  readonly filter?: PostingFilter | null;
  readonly sort?: { readonly field: string; readonly direction: 'ASC' | 'DESC' } | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

interface LineInput {
  readonly accountCode: string;
  readonly description?: string | null;
  readonly debit?: string | null;
  readonly credit?: string | null;
  readonly dimensions?: ReadonlyArray<{ readonly type: string; readonly code: string }> | null;
  readonly counterparty?: { readonly type: string; readonly id: string } | null;
}

/** The GraphQL input in the shape of erp/posting's JournalPostingInput (dimensions as a record; absent = default). */
function journalInput(input: Record<string, unknown> & { lines?: readonly LineInput[] }): Record<string, unknown> {
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined));
  return defined({
    ...input,
    lines: input.lines?.map((l) =>
      defined({
        ...l,
        dimensions: l.dimensions ? Object.fromEntries(l.dimensions.map((d) => [d.type, d.code])) : undefined,
      }),
    ),
  });
}

interface PostedBody {
  readonly journalType: string;
  readonly number: string | null;
  readonly transactionDate: string;
  readonly currency: string;
  readonly memo: string | null;
  readonly lines: ReadonlyArray<{
    accountCode: string;
    description: string | null;
    debit: string;
    credit: string;
    dimensions: Record<string, string>;
  }>;
}

/** The postings subgraph's resolvers: each mutation is one call of the posting service, as the principal. */
export function createResolvers(events: CanonicalEventSource, service: PostingService): GraphQLResolverMap<Ctx> {
  /** The mutation's payload with the posting as stored after the commit. */
  const payload = async (ctx: Ctx, out: PostingPayload) => ({
    posting: out.posting ? await ctx.loaders.posting.load(out.posting.id) : null,
    userErrors: out.userErrors,
  });
  // The preparer or approver is the request's verified principal, never an input field.
  const as = (ctx: Ctx) => ctx.principal;
  return {
    Query: {
      posting: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.loaders.posting.load(assertUuid(args.id, 'id')),
      postings: async (
        _: unknown,
        args: { status?: readonly string[] | null; legalEntityId?: string | null; first?: number | null },
        ctx: Ctx,
      ) => {
        const { rows } = await ctx.db.query<PostingRecord>(
          `${POSTING_COLUMNS}
            where ($1::text[] is null or status = any($1)) and ($2::text is null or legal_entity_id = $2)
            order by created_at desc, id limit $3`,
          [
            args.status?.length ? args.status : null,
            args.legalEntityId ?? null,
            Math.min(Math.max(args.first ?? 50, 1), 500),
          ],
        );
        for (const r of rows) ctx.loaders.posting.prime(r.id, r);
        return rows;
      },
      postingsConnection: (_: unknown, args: ConnectionArgs, ctx: Ctx) =>
        loadConnection<PostingRecord & { sort_value: string | null }, PostingRecord>(
          ctx.db,
          {
            select: 'p.*',
            from: 'posting p',
            idExpr: 'p.id',
            where: postingConditions(args.filter),
            sort: POSTING_SORTS[args.sort?.field ?? 'CREATED_AT'] ?? POSTING_SORTS.CREATED_AT!,
            direction: args.sort?.direction ?? 'DESC',
            first: pageSize(args.first),
            after: args.after,
          },
          { amountExpr: 'p.amount', currencyExpr: 'p.currency' },
          (row) => {
            ctx.loaders.posting.prime(row.id, row);
            return row;
          },
        ),
      postingCountsByHour: async (
        _: unknown,
        args: { filter?: PostingFilter | null; hours?: number | null },
        ctx: Ctx,
      ) => {
        const hours = args.hours ?? 24;
        if (!Number.isInteger(hours) || hours < 1 || hours > 168) {
          throw new GraphQLError(`hours: must be an integer from 1 to 168, got ${hours}`, {
            extensions: { code: 'BAD_USER_INPUT', argumentName: 'hours' },
          });
        }
        const q = postingHourlyQuery(postingConditions(args.filter), hours);
        const { rows } = await ctx.db.query<{ hour: Date; prepared: number; posted: number; failed: number }>(
          q.text,
          q.values,
        );
        return rows.map((r) => ({ ...r, hour: iso(r.hour) }));
      },
    },
    Mutation: {
      postJournalEntry: async (
        _: unknown,
        args: { input: Record<string, unknown>; idempotencyKey: string },
        ctx: Ctx,
      ) => payload(ctx, await service.acceptJournalPosting(journalInput(args.input), as(ctx), args.idempotencyKey)),
      postInvoice: async (_: unknown, args: { id: string; idempotencyKey?: string | null }, ctx: Ctx) =>
        payload(
          ctx,
          await service.acceptInvoicePosting(
            assertUuid(args.id, 'id'),
            as(ctx),
            args.idempotencyKey ?? `invoice:${args.id}`,
          ),
        ),
      approvePosting: async (_: unknown, args: { id: string }, ctx: Ctx) =>
        payload(ctx, await service.approvePosting(assertUuid(args.id, 'id'), as(ctx))),
      rejectPosting: async (_: unknown, args: { id: string; reason: string }, ctx: Ctx) =>
        payload(ctx, await service.rejectPosting(assertUuid(args.id, 'id'), as(ctx), args.reason)),
      retryPosting: async (_: unknown, args: { id: string }, ctx: Ctx) =>
        payload(ctx, await service.retryPosting(assertUuid(args.id, 'id'), as(ctx))),
      cancelPosting: async (_: unknown, args: { id: string }, ctx: Ctx) =>
        payload(ctx, await service.cancelPosting(assertUuid(args.id, 'id'), as(ctx))),
    },
    Subscription: {
      postingStatusChanged: {
        subscribe: (_: unknown, args: { legalEntityId?: string | null; status?: readonly string[] | null }, ctx: Ctx) =>
          subscribeTo(events, ['POSTING'], async (e) => {
            if (!['POSTING_STATUS_CHANGED', 'POSTING_CONFIRMED', 'POSTING_MISMATCH'].includes(e.eventType)) return null;
            if (args.legalEntityId && e.legalEntityId !== args.legalEntityId) return null;
            if (args.status?.length && (!e.newStatus || !args.status.includes(e.newStatus))) return null;
            const { rows } = await ctx.db.query<PostingRecord>(`${POSTING_COLUMNS} where id = $1`, [e.aggregateId]);
            if (!rows[0]) return null;
            return {
              posting: rows[0],
              previousStatus: e.oldStatus,
              status: e.newStatus,
              eventType: e.eventType,
              correlationId: e.correlationId,
              changedAt: e.createdAt,
            };
          }),
        resolve: (p: unknown) => p,
      },
    },
    Posting: {
      __resolveReference: (ref: { id: string }, ctx: Ctx) => (isUuid(ref.id) ? ctx.loaders.posting.load(ref.id) : null),
      legalEntityId: (r: PostingRecord) => r.legal_entity_id,
      amount: (r: PostingRecord) => money(r.amount, r.currency.trim()),
      decisionReason: (r: PostingRecord) => r.decision_reason,
      idempotencyKey: (r: PostingRecord) => r.idempotency_key,
      sourceDocument: (r: PostingRecord) =>
        r.source_document_type && r.source_document_id
          ? { type: r.source_document_type, id: r.source_document_id }
          : null,
      userErrors: (r: PostingRecord) => r.user_errors,
      erpDocument: (r: PostingRecord) => ({
        system: r.erp_system,
        reference: r.erp_reference,
        documentId: r.erp_document_id,
        documentNumber: r.erp_document_number,
      }),
      nextAttemptAt: (r: PostingRecord) => iso(r.next_attempt_at),
      waitingFor: async (r: PostingRecord, _: unknown, ctx: Ctx) => {
        if (r.kind !== 'INVOICE' || !['PENDING_APPROVAL', 'APPROVED', 'SUBMITTED'].includes(r.status)) return null;
        const { rows } = await ctx.db.query<{ vendor_id: string; vendor_name: string; state: string; reason: string }>(
          `${WAITING_FOR_VENDOR} and p.id = $1`,
          [r.id],
        );
        const w = rows[0];
        return w
          ? { vendorId: w.vendor_id, vendorName: w.vendor_name, activationState: w.state, reason: w.reason ?? w.state }
          : null;
      },
      lastError: (r: PostingRecord) => r.last_error,
      confirmation: (r: PostingRecord) => ({
        // Journals are confirmed against the ERP's captured move; invoices are not modelled from the ERP yet.
        status: r.status !== 'POSTED' || r.kind !== 'JOURNAL' ? 'NOT_APPLICABLE' : (r.confirmation_status ?? 'PENDING'),
        confirmedAt: iso(r.confirmed_at),
        differences: r.confirmation_differences ?? [],
      }),
      journalEntry: (r: PostingRecord) => (r.erp_journal_entry_id ? { id: r.erp_journal_entry_id } : null),
      journal: (r: PostingRecord) => {
        if (r.kind !== 'JOURNAL') return null;
        const b = r.body as PostedBody;
        return {
          ...b,
          lines: b.lines.map((l) => ({
            accountCode: l.accountCode,
            description: l.description,
            debit: money(l.debit, b.currency),
            credit: money(l.credit, b.currency),
            dimensions: Object.entries(l.dimensions ?? {}).map(([type, code]) => ({ type, code })),
          })),
        };
      },
      correlationId: (r: PostingRecord) => r.correlation_id,
      createdAt: (r: PostingRecord) => iso(r.created_at),
      updatedAt: (r: PostingRecord) => iso(r.updated_at),
      postedAt: (r: PostingRecord) => iso(r.posted_at),
    },
  } as GraphQLResolverMap<Ctx>;
}
