import { iso, isUuid } from '../../shared/ids';
import { money } from '../../shared/money';
import type { RequestContext } from '../../shared/RequestContext';
import { toSourceReference } from '../../shared/sourceReferences';
import type { InvoiceLoaders } from '../loaders/createLoaders';
import type { ErpInvoiceRow } from '../sql/erpInvoicesByCanonicalIds';
import type { InvoiceRow } from '../sql/invoiceColumns';
import type { InvoiceLineRow } from '../sql/linesByInvoiceIds';

type Ctx = RequestContext<InvoiceLoaders>;

/** Field resolvers of `Invoice` and `InvoiceLine`, from the rows of `sql/`. */
export const invoiceResolvers = {
  Invoice: {
    __resolveReference: (ref: { id: string }, ctx: Ctx) => (isUuid(ref.id) ? ctx.loaders.invoice.load(ref.id) : null),
    legalEntityId: (r: InvoiceRow) => r.legal_entity_id,
    isCreditNote: (r: InvoiceRow) => r.is_credit_note,
    vendor: (r: InvoiceRow) => (r.vendor_id ? { id: r.vendor_id } : null),
    customer: (r: InvoiceRow) => (r.customer_id ? { id: r.customer_id } : null),
    issueDate: (r: InvoiceRow) => r.issue_date,
    dueDate: (r: InvoiceRow) => r.due_date,
    fiscalYear: (r: InvoiceRow) => r.fiscal_year,
    currency: (r: InvoiceRow) => r.currency.trim(),
    subTotal: (r: InvoiceRow) => money(r.sub_total, r.currency),
    totalTaxAmount: (r: InvoiceRow) => money(r.total_tax_amount, r.currency),
    totalAmount: (r: InvoiceRow) => money(r.total_amount, r.currency),
    balance: (r: InvoiceRow) => money(r.balance, r.currency),
    lines: (r: InvoiceRow, _: unknown, ctx: Ctx) =>
      ctx.loaders.lines.load(r.id).then((ls) => ls.map((l) => ({ ...l, currency: r.currency }))),
    sourceReferences: async (r: InvoiceRow, _: unknown, ctx: Ctx) =>
      (await ctx.loaders.sourceReferences.load(r.id)).map(toSourceReference),
    correlationId: (r: InvoiceRow) => r.correlation_id,
    sourceUpdatedAt: (r: InvoiceRow) => iso(r.source_updated_at),
    canonicalUpdatedAt: (r: InvoiceRow) => iso(r.canonical_updated_at),
    deletedAtSource: (r: InvoiceRow) => r.deleted_at_source,
    mappingVersion: (r: InvoiceRow) => r.mapping_version,
    erpDocument: (r: InvoiceRow, _: unknown, ctx: Ctx) => ctx.loaders.erpInvoice.load(r.id),
  },
  ErpInvoice: {
    system: () => 'erp',
    sourceTable: () => 'public.account_invoice',
    sourceId: (e: ErpInvoiceRow) => e.source_id,
    subTotal: (e: ErpInvoiceRow) => money(e.untaxed_amount, e.currency),
    totalTaxAmount: (e: ErpInvoiceRow) => money(e.tax_amount, e.currency),
    totalAmount: (e: ErpInvoiceRow) => money(e.total_amount, e.currency),
    paidAmount: (e: ErpInvoiceRow) => money(e.paid_amount, e.currency),
    invoiceDate: (e: ErpInvoiceRow) => e.invoice_date,
    accountingDate: (e: ErpInvoiceRow) => e.accounting_date,
    deletedInErp: (e: ErpInvoiceRow) => e.deleted_at_source,
    postingId: (e: ErpInvoiceRow) => e.posting_id,
    updatedAt: (e: ErpInvoiceRow) => iso(e.updated_at),
  },
  InvoiceLine: {
    lineNumber: (l: InvoiceLineRow) => l.line_number,
    unitPrice: (l: InvoiceLineRow & { currency: string }) => money(l.unit_price, l.currency),
    totalAmount: (l: InvoiceLineRow & { currency: string }) => money(l.total_amount, l.currency),
    accountId: (l: InvoiceLineRow) => l.account_id,
    taxCodeId: (l: InvoiceLineRow) => l.tax_code_id,
    dimensions: (l: InvoiceLineRow) => Object.entries(l.dimensions ?? {}).map(([type, code]) => ({ type, code })),
  },
};
