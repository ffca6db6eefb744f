import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { CanonicalEventSource } from '../../shared/canonicalEvents';
import { loadConnection } from '../../shared/connection';
import { assertUuid, iso, isUuid } from '../../shared/ids';
import { pageSize } from '../../shared/listQuery';
import { money } from '../../shared/money';
import type { RequestContext } from '../../shared/RequestContext';
import { canonicalIdBySource, toSourceReference } from '../../shared/sourceReferences';
import { subscribeTo } from '../../shared/subscribeTo';
import type { PaymentLoaders } from '../loaders/createLoaders';
import type { ErpPaymentRow } from '../sql/erpPayments';
import {
  PAYMENT_COLUMNS,
  PAYMENT_SORTS,
  PAYMENTS_BY_IDS,
  paymentConditions,
  type AllocationRow,
  type PaymentFilter,
  type PaymentRow,
} from '../sql/payments';

type Ctx = RequestContext<PaymentLoaders>;

interface ListArgs {
  readonly filter?: PaymentFilter | null;
  readonly sort?: { readonly field: string; readonly direction: 'ASC' | 'DESC' } | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

/** The payments subgraph's resolvers; `paymentSettled` reads `events`. */
export function createResolvers(events: CanonicalEventSource): GraphQLResolverMap<Ctx> {
  return {
    Query: {
      payment: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.loaders.payment.load(assertUuid(args.id, 'id')),
      paymentBySourceReference: async (
        _: unknown,
        args: { system: string; sourceId: string; sourceTable?: string | null },
        ctx: Ctx,
      ) => {
        const id = await canonicalIdBySource(ctx.db, 'PAYMENT', args);
        return id ? ctx.loaders.payment.load(id) : null;
      },
      payments: (_: unknown, args: ListArgs, ctx: Ctx) =>
        loadConnection<PaymentRow & { sort_value: string | null }, PaymentRow>(
          ctx.db,
          {
            select: PAYMENT_COLUMNS,
            from: 'payment p',
            idExpr: 'p.id',
            where: paymentConditions(args.filter),
            sort: PAYMENT_SORTS[args.sort?.field ?? 'PAYMENT_DATE'] ?? PAYMENT_SORTS.PAYMENT_DATE!,
            direction: args.sort?.direction ?? 'ASC',
            first: pageSize(args.first),
            after: args.after,
          },
          { amountExpr: 'p.total_amount', currencyExpr: 'p.currency' },
          (row) => {
            ctx.loaders.payment.prime(row.id, row);
            return row;
          },
        ),
    },
    Subscription: {
      paymentSettled: {
        subscribe: (_: unknown, args: { legalEntityId?: string | null; counterpartyId?: string | null }, ctx: Ctx) =>
          subscribeTo(events, ['PAYMENT'], async (e) => {
            if (e.newStatus !== 'SETTLED' || e.oldStatus === 'SETTLED') return null;
            if (args.legalEntityId && e.legalEntityId !== args.legalEntityId) return null;
            const { rows } = await ctx.db.query<PaymentRow>(PAYMENTS_BY_IDS, [[e.aggregateId]]);
            const payment = rows[0];
            if (!payment) return null;
            const cp = args.counterpartyId;
            if (cp && payment.vendor_id !== cp && payment.customer_id !== cp) return null;
            return { payment, previousStatus: e.oldStatus, correlationId: e.correlationId, settledAt: e.createdAt };
          }),
        resolve: (payload: unknown) => payload,
      },
    },
    Payment: {
      __resolveReference: (ref: { id: string }, ctx: Ctx) => (isUuid(ref.id) ? ctx.loaders.payment.load(ref.id) : null),
      legalEntityId: (r: PaymentRow) => r.legal_entity_id,
      vendor: (r: PaymentRow) => (r.vendor_id ? { id: r.vendor_id } : null),
      customer: (r: PaymentRow) => (r.customer_id ? { id: r.customer_id } : null),
      paymentDate: (r: PaymentRow) => r.payment_date,
      currency: (r: PaymentRow) => r.currency.trim(),
      totalAmount: (r: PaymentRow) => money(r.total_amount, r.currency),
      allocations: (r: PaymentRow, _: unknown, ctx: Ctx) => ctx.loaders.allocations.load(r.id),
      sourceReferences: async (r: PaymentRow, _: unknown, ctx: Ctx) =>
        (await ctx.loaders.sourceReferences.load(r.id)).map(toSourceReference),
      correlationId: (r: PaymentRow) => r.correlation_id,
      sourceUpdatedAt: (r: PaymentRow) => iso(r.source_updated_at),
      canonicalUpdatedAt: (r: PaymentRow) => iso(r.canonical_updated_at),
      deletedAtSource: (r: PaymentRow) => r.deleted_at_source,
      mappingVersion: (r: PaymentRow) => r.mapping_version,
      erpDocument: (r: PaymentRow, _: unknown, ctx: Ctx) => ctx.loaders.erpPayment.load(r.id),
    },
    ErpPayment: {
      system: () => 'erp',
      sourceTable: () => 'public.account_payment',
      sourceId: (e: ErpPaymentRow) => e.source_id,
      amount: (e: ErpPaymentRow) => money(e.amount, e.currency),
      paymentDate: (e: ErpPaymentRow) => e.payment_date,
      invoice: (e: ErpPaymentRow) => (e.invoice_id ? { id: e.invoice_id } : null),
      invoiceSourceId: (e: ErpPaymentRow) => e.invoice_source_id,
      deletedInErp: (e: ErpPaymentRow) => e.deleted_at_source,
      postingId: (e: ErpPaymentRow) => e.posting_id,
      updatedAt: (e: ErpPaymentRow) => iso(e.updated_at),
    },
    PaymentAllocation: {
      invoice: (a: AllocationRow) => ({ id: a.invoice_id }),
      amount: (a: AllocationRow) => money(a.amount, a.currency),
    },
    Invoice: {
      __resolveReference: (ref: { id: string }) => ref,
      payments: (inv: { id: string }, _: unknown, ctx: Ctx) =>
        isUuid(inv.id) ? ctx.loaders.paymentsByInvoice.load(inv.id) : [],
    },
  } as GraphQLResolverMap<Ctx>;
}
