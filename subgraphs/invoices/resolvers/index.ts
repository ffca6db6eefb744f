import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { CanonicalEventSource } from '../../shared/canonicalEvents';
import { assertUuid } from '../../shared/ids';
import type { RequestContext } from '../../shared/RequestContext';
import { canonicalIdBySource } from '../../shared/sourceReferences';
import { subscribeTo } from '../../shared/subscribeTo';
import type { InvoiceLoaders } from '../loaders/createLoaders';
import type { InvoiceRow } from '../sql/invoiceColumns';
import { INVOICES_BY_IDS } from '../sql/invoicesByIds';
import { invoiceResolvers } from './Invoice';
import { counterpartyInvoices, invoiceConnection, type InvoiceListArgs } from './invoiceConnection';

type Ctx = RequestContext<InvoiceLoaders>;

interface StatusChangedArgs {
  readonly legalEntityId?: string | null;
  readonly counterpartyId?: string | null;
  readonly status?: readonly string[] | null;
}

/** The invoices subgraph's resolvers; subscriptions read `events`. */
export function createResolvers(events: CanonicalEventSource): GraphQLResolverMap<Ctx> {
  return {
    Query: {
      invoice: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.loaders.invoice.load(assertUuid(args.id, 'id')),
      invoiceBySourceReference: async (
        _: unknown,
        args: { system: string; sourceId: string; sourceTable?: string | null },
        ctx: Ctx,
      ) => {
        const id = await canonicalIdBySource(ctx.db, 'INVOICE', args);
        return id ? ctx.loaders.invoice.load(id) : null;
      },
      invoices: (_: unknown, args: InvoiceListArgs, ctx: Ctx) => invoiceConnection(ctx, args, null),
    },
    Subscription: {
      invoiceStatusChanged: {
        subscribe: (_: unknown, args: StatusChangedArgs, ctx: Ctx) =>
          subscribeTo(events, ['INVOICE'], async (e) => {
            if (e.oldStatus === e.newStatus || !e.newStatus) return null;
            if (args.legalEntityId && e.legalEntityId !== args.legalEntityId) return null;
            if (args.status?.length && !args.status.includes(e.newStatus)) return null;
            // The record as it is now (not a loader: a subscription's context lives longer than one event).
            const { rows } = await ctx.db.query<InvoiceRow>(INVOICES_BY_IDS, [[e.aggregateId]]);
            const invoice = rows[0];
            if (!invoice) return null;
            const cp = args.counterpartyId;
            if (cp && invoice.vendor_id !== cp && invoice.customer_id !== cp) return null;
            return {
              invoice,
              previousStatus: e.oldStatus,
              status: e.newStatus,
              correlationId: e.correlationId,
              changedAt: e.createdAt,
            };
          }),
        resolve: (payload: unknown) => payload,
      },
    },
    ...invoiceResolvers,
    Vendor: {
      __resolveReference: (ref: { id: string }) => ref,
      invoices: (v: { id: string }, args: InvoiceListArgs, ctx: Ctx) =>
        counterpartyInvoices(ctx, 'vendor', assertUuid(v.id, 'Vendor.id'), args),
    },
    Customer: {
      __resolveReference: (ref: { id: string }) => ref,
      invoices: (c: { id: string }, args: InvoiceListArgs, ctx: Ctx) =>
        counterpartyInvoices(ctx, 'customer', assertUuid(c.id, 'Customer.id'), args),
    },
  } as GraphQLResolverMap<Ctx>;
}
