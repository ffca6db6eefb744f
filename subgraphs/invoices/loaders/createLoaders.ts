import type DataLoader from 'dataloader';
import { groupLoader, rowLoader } from '../../shared/batchLoaders';
import type { Db } from '../../shared/Db';
import { sourceReferenceLoader, type SourceReferenceRow } from '../../shared/sourceReferences';
import type { InvoiceRow } from '../sql/invoiceColumns';
import { INVOICES_BY_IDS } from '../sql/invoicesByIds';
import { LINES_BY_INVOICE_IDS, type InvoiceLineRow } from '../sql/linesByInvoiceIds';

/** The invoices subgraph's per-request loaders. */
export interface InvoiceLoaders {
  readonly invoice: DataLoader<string, InvoiceRow | null>;
  readonly lines: DataLoader<string, InvoiceLineRow[]>;
  readonly sourceReferences: DataLoader<string, SourceReferenceRow[]>;
}

/** Creates the loaders for one request over its counting `Db`. */
export function createLoaders(db: Db): InvoiceLoaders {
  return {
    invoice: rowLoader<InvoiceRow>(db, INVOICES_BY_IDS, (r) => r.id),
    lines: groupLoader<InvoiceLineRow>(db, LINES_BY_INVOICE_IDS, (r) => r.invoice_id),
    sourceReferences: sourceReferenceLoader(db),
  };
}
