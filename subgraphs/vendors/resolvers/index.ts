import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { loadConnection } from '../../shared/connection';
import { assertUuid, iso, isUuid } from '../../shared/ids';
import { pageSize } from '../../shared/listQuery';
import type { RequestContext } from '../../shared/RequestContext';
import { canonicalIdBySource, toSourceReference } from '../../shared/sourceReferences';
import type { VendorLoaders } from '../loaders/createLoaders';
import {
  COUNTERPARTY_SORTS,
  CUSTOMER_COLUMNS,
  VENDOR_COLUMNS,
  counterpartyConditions,
  type CounterpartyFilter,
  type CounterpartyRow,
} from '../sql/counterparties';

type Ctx = RequestContext<VendorLoaders>;

interface ListArgs {
  readonly filter?: CounterpartyFilter | null;
  readonly sort?: { readonly field: string; readonly direction: 'ASC' | 'DESC' } | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

interface SourceArgs {
  readonly system: string;
  readonly sourceId: string;
  readonly sourceTable?: string | null;
}

const list = (kind: 'vendor' | 'customer') => (_: unknown, args: ListArgs, ctx: Ctx) =>
  loadConnection<CounterpartyRow & { sort_value: string | null }, CounterpartyRow>(
    ctx.db,
    {
      select: kind === 'vendor' ? VENDOR_COLUMNS : CUSTOMER_COLUMNS,
      from: `${kind} p`,
      idExpr: 'p.id',
      where: counterpartyConditions(args.filter),
      sort: COUNTERPARTY_SORTS[args.sort?.field ?? 'NAME'] ?? COUNTERPARTY_SORTS.NAME!,
      direction: args.sort?.direction ?? 'ASC',
      first: pageSize(args.first),
      after: args.after,
    },
    { amountExpr: '0', currencyExpr: "''" },
    (row) => {
      ctx.loaders[kind].prime(row.id, row);
      return row;
    },
  );

const fields = {
  legalEntityId: (r: CounterpartyRow) => r.legal_entity_id,
  taxId: (r: CounterpartyRow) => r.tax_id,
  currency: (r: CounterpartyRow) => r.currency?.trim() ?? null,
  sourceReferences: async (r: CounterpartyRow, _: unknown, ctx: Ctx) =>
    (await ctx.loaders.sourceReferences.load(r.id)).map(toSourceReference),
  correlationId: (r: CounterpartyRow) => r.correlation_id,
  sourceUpdatedAt: (r: CounterpartyRow) => iso(r.source_updated_at),
  canonicalUpdatedAt: (r: CounterpartyRow) => iso(r.canonical_updated_at),
  deletedAtSource: (r: CounterpartyRow) => r.deleted_at_source,
  mappingVersion: (r: CounterpartyRow) => r.mapping_version,
};

/** The vendors subgraph's resolvers: vendors and customers (the counterparties of invoices and payments). */
export function createResolvers(): GraphQLResolverMap<Ctx> {
  return {
    Query: {
      vendor: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.loaders.vendor.load(assertUuid(args.id, 'id')),
      vendorBySourceReference: async (_: unknown, args: SourceArgs, ctx: Ctx) => {
        const id = await canonicalIdBySource(ctx.db, 'VENDOR', args);
        return id ? ctx.loaders.vendor.load(id) : null;
      },
      vendors: list('vendor'),
      customer: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.loaders.customer.load(assertUuid(args.id, 'id')),
      customerBySourceReference: async (_: unknown, args: SourceArgs, ctx: Ctx) => {
        const id = await canonicalIdBySource(ctx.db, 'CUSTOMER', args);
        return id ? ctx.loaders.customer.load(id) : null;
      },
      customers: list('customer'),
    },
    Vendor: {
      __resolveReference: (ref: { id: string }, ctx: Ctx) => (isUuid(ref.id) ? ctx.loaders.vendor.load(ref.id) : null),
      ...fields,
      activation: async (r: CounterpartyRow, _: unknown, ctx: Ctx) => {
        const a = await ctx.loaders.activation.load(r.id);
        return a
          ? { state: a.state, activatedAt: iso(a.activated_at), reason: a.reason }
          : { state: 'NOT_APPLICABLE', activatedAt: null, reason: 'not visible' };
      },
    },
    Customer: {
      __resolveReference: (ref: { id: string }, ctx: Ctx) =>
        isUuid(ref.id) ? ctx.loaders.customer.load(ref.id) : null,
      ...fields,
    },
  } as GraphQLResolverMap<Ctx>;
}
