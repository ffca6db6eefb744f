import type { InvoiceLineRow, InvoiceRow } from '../CanonicalRows';
import type { Db } from '../../../canonical-schema/Db';
import type { Pending } from '../UnitOfWork';
import { bookkeepingColumns, flagDeleted, TOUCHED, withRows } from './bookkeeping';
import { upsertRows, type Column } from './unnestRows';

const COLUMNS: readonly Column<{ row: InvoiceRow; bump: number }>[] = [
  { name: 'id', type: 'uuid', value: (p) => p.row.id },
  { name: 'legal_entity_id', type: 'text', value: (p) => p.row.legalEntityId },
  { name: 'type', type: 'text', value: (p) => p.row.type },
  { name: 'is_credit_note', type: 'boolean', value: (p) => p.row.isCreditNote },
  { name: 'number', type: 'text', value: (p) => p.row.number },
  { name: 'vendor_id', type: 'uuid', value: (p) => p.row.vendorId },
  { name: 'customer_id', type: 'uuid', value: (p) => p.row.customerId },
  { name: 'issue_date', type: 'date', value: (p) => p.row.issueDate },
  { name: 'due_date', type: 'date', value: (p) => p.row.dueDate },
  { name: 'fiscal_year', type: 'int', value: (p) => p.row.fiscalYear },
  { name: 'currency', type: 'text', value: (p) => p.row.currency },
  { name: 'sub_total', type: 'numeric', value: (p) => p.row.subTotal },
  { name: 'total_tax_amount', type: 'numeric', value: (p) => p.row.totalTaxAmount },
  { name: 'total_amount', type: 'numeric', value: (p) => p.row.totalAmount },
  // A new invoice's open balance is its total; a changed one keeps its balance until settlement
  // (settleInvoices, after the flush) recomputes it from the allocations.
  { name: 'balance', type: 'numeric', value: (p) => p.row.totalAmount, onConflict: 'keep' },
  { name: 'status', type: 'text', value: (p) => p.row.status },
  { name: 'memo', type: 'text', value: (p) => p.row.memo },
  ...bookkeepingColumns<InvoiceRow>(),
];

const LINE_COLUMNS: readonly Column<InvoiceLineRow>[] = [
  { name: 'id', type: 'uuid', value: (l) => l.id },
  { name: 'invoice_id', type: 'uuid', value: (l) => l.invoiceId },
  { name: 'line_number', type: 'int', value: (l) => l.lineNumber },
  { name: 'description', type: 'text', value: (l) => l.description },
  { name: 'quantity', type: 'numeric', value: (l) => l.quantity },
  { name: 'unit_price', type: 'numeric', value: (l) => l.unitPrice },
  { name: 'total_amount', type: 'numeric', value: (l) => l.totalAmount },
  { name: 'account_id', type: 'uuid', value: (l) => l.accountId },
  { name: 'tax_code_id', type: 'uuid', value: (l) => l.taxCodeId },
  { name: 'dimensions', type: 'jsonb', value: (l) => l.dimensions },
];

/** Writes the round's invoice headers in one statement; deletions are flagged. */
export async function writeInvoices(db: Db, pending: ReadonlyMap<string, Pending<InvoiceRow>>): Promise<void> {
  await upsertRows(db, 'invoice', COLUMNS, withRows(pending.values()), { conflict: 'id', alsoSet: TOUCHED });
  await flagDeleted(db, 'invoice', pending);
}

/** Deletes the lines the sources deleted, then writes the new and changed lines in one statement. */
export async function writeInvoiceLines(db: Db, lines: ReadonlyMap<string, InvoiceLineRow | 'delete'>): Promise<void> {
  const deleted: string[] = [];
  const written: InvoiceLineRow[] = [];
  for (const [id, line] of lines) {
    if (line === 'delete') deleted.push(id);
    else written.push(line);
  }
  // Deletions first: a line the source replaced may hand its line number to a new one.
  if (deleted.length) await db.query(`delete from invoice_line where id = any($1::uuid[])`, [deleted]);
  await upsertRows(db, 'invoice_line', LINE_COLUMNS, written, { conflict: 'id' });
}
