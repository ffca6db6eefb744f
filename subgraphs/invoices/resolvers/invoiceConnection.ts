import { loadConnection } from '../../shared/connection';
import type { Condition } from '../../shared/listQuery';
import { pageSize } from '../../shared/listQuery';
import type { RequestContext } from '../../shared/RequestContext';
import type { InvoiceLoaders } from '../loaders/createLoaders';
import type { InvoiceRow } from '../sql/invoiceColumns';
import { INVOICE_FROM, INVOICE_SELECT, INVOICE_SORTS, invoiceConditions, type InvoiceFilter } from '../sql/invoiceList';

/** Arguments of every invoice list field. */
export interface InvoiceListArgs {
  readonly filter?: InvoiceFilter | null;
  readonly sort?: { readonly field: string; readonly direction: 'ASC' | 'DESC' } | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

/** One page of invoices (one statement; totals one more, only if selected); rows prime the invoice loader. */
export function invoiceConnection(ctx: RequestContext<InvoiceLoaders>, args: InvoiceListArgs, scope: Condition | null) {
  const sort = INVOICE_SORTS[args.sort?.field ?? 'ISSUE_DATE'] ?? INVOICE_SORTS.ISSUE_DATE!;
  return loadConnection<InvoiceRow & { sort_value: string | null }, InvoiceRow>(
    ctx.db,
    {
      select: INVOICE_SELECT,
      from: INVOICE_FROM,
      idExpr: 'i.id',
      where: invoiceConditions(args.filter, scope),
      sort,
      direction: args.sort?.direction ?? 'ASC',
      first: pageSize(args.first),
      after: args.after,
    },
    { amountExpr: 'i.total_amount', currencyExpr: 'i.currency' },
    (row) => {
      ctx.loaders.invoice.prime(row.id, row);
      return row;
    },
  );
}

/** A counterparty's invoices: batched with every other counterparty of the response (one windowed statement). */
export function counterpartyInvoices(
  ctx: RequestContext<InvoiceLoaders>,
  kind: 'vendor' | 'customer',
  parentId: string,
  args: InvoiceListArgs,
) {
  const loader = kind === 'vendor' ? ctx.loaders.vendorInvoices : ctx.loaders.customerInvoices;
  return loader.load({
    parentId,
    where: invoiceConditions(args.filter, null),
    sort: INVOICE_SORTS[args.sort?.field ?? 'ISSUE_DATE'] ?? INVOICE_SORTS.ISSUE_DATE!,
    direction: args.sort?.direction ?? 'ASC',
    first: pageSize(args.first),
    after: args.after,
  });
}
