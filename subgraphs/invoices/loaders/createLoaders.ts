import type DataLoader from 'dataloader';
import { groupLoader, rowLoader } from '../../shared/batchLoaders';
import type { Connection } from '../../shared/connection';
import type { Db } from '../../shared/Db';
import { parentConnectionLoader, type ParentListKey } from '../../shared/parentConnections';
import { sourceReferenceLoader, type SourceReferenceRow } from '../../shared/sourceReferences';
import { INVOICE_COLUMNS, type InvoiceRow } from '../sql/invoiceColumns';
import { ERP_INVOICES_BY_CANONICAL_IDS, type ErpInvoiceRow } from '../sql/erpInvoicesByCanonicalIds';
import { INVOICES_BY_IDS } from '../sql/invoicesByIds';
import { LINES_BY_INVOICE_IDS, type InvoiceLineRow } from '../sql/linesByInvoiceIds';

/** The invoices subgraph's per-request loaders. */
export interface InvoiceLoaders {
  readonly invoice: DataLoader<string, InvoiceRow | null>;
  readonly lines: DataLoader<string, InvoiceLineRow[]>;
  readonly sourceReferences: DataLoader<string, SourceReferenceRow[]>;
  /** The ERP's side of an invoice, by canonical id. */
  readonly erpInvoice: DataLoader<string, ErpInvoiceRow | null>;
  /** `Vendor.invoices` of every vendor in the response, in one statement per argument set. */
  readonly vendorInvoices: DataLoader<ParentListKey, Connection<InvoiceRow>, string>;
  /** `Customer.invoices`, likewise. */
  readonly customerInvoices: DataLoader<ParentListKey, Connection<InvoiceRow>, string>;
}

/** Creates the loaders for one request over its counting `Db`. */
export function createLoaders(db: Db): InvoiceLoaders {
  const invoice = rowLoader<InvoiceRow>(db, INVOICES_BY_IDS, (r) => r.id);
  const byParent = (parentExpr: string) =>
    parentConnectionLoader<InvoiceRow & { sort_value: string | null; parent_id: string }, InvoiceRow>(db, {
      select: INVOICE_COLUMNS,
      from: 'invoice i',
      idExpr: 'i.id',
      parentExpr,
      amountExpr: 'i.total_amount',
      currencyExpr: 'i.currency',
      toNode: (row) => {
        invoice.prime(row.id, row);
        return row;
      },
    });
  return {
    invoice,
    lines: groupLoader<InvoiceLineRow>(db, LINES_BY_INVOICE_IDS, (r) => r.invoice_id),
    sourceReferences: sourceReferenceLoader(db),
    erpInvoice: rowLoader<ErpInvoiceRow>(db, ERP_INVOICES_BY_CANONICAL_IDS, (r) => r.canonical_id),
    vendorInvoices: byParent('i.vendor_id'),
    customerInvoices: byParent('i.customer_id'),
  };
}
