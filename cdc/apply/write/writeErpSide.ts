import type { Db } from '../../../canonical-schema/Db';
import type {
  ErpChange,
  ErpInvoiceLineRow,
  ErpInvoiceRow,
  ErpInvoiceTaxRow,
  ErpPaymentRow,
  ErpSideChanges,
} from '../erp/ErpRows';
import { upsertRows, type Column } from './unnestRows';

type Written<R> = { row: R; bump: number };

const INVOICE: readonly Column<Written<ErpInvoiceRow>>[] = [
  { name: 'id', type: 'uuid', value: (w) => w.row.id },
  { name: 'source_id', type: 'text', value: (w) => w.row.sourceId },
  { name: 'legal_entity_id', type: 'text', value: (w) => w.row.legalEntityId },
  { name: 'type', type: 'text', value: (w) => w.row.type },
  { name: 'number', type: 'text', value: (w) => w.row.number },
  { name: 'reference', type: 'text', value: (w) => w.row.reference },
  { name: 'description', type: 'text', value: (w) => w.row.description },
  { name: 'state', type: 'text', value: (w) => w.row.state },
  { name: 'status', type: 'text', value: (w) => w.row.status },
  { name: 'currency', type: 'text', value: (w) => w.row.currency },
  { name: 'invoice_date', type: 'date', value: (w) => w.row.invoiceDate },
  { name: 'accounting_date', type: 'date', value: (w) => w.row.accountingDate },
  { name: 'created_on', type: 'date', value: (w) => w.row.createdOn },
  { name: 'party_source_id', type: 'text', value: (w) => w.row.partySourceId },
  { name: 'move_source_id', type: 'text', value: (w) => w.row.moveSourceId },
  { name: 'posting_id', type: 'uuid', value: (w) => w.row.postingId },
  { name: 'correlation_id', type: 'uuid', value: (w) => w.row.correlationId, onConflict: 'keep' },
  { name: 'source_updated_at', type: 'timestamptz', value: (w) => w.row.sourceUpdatedAt },
  { name: 'mapping_version', type: 'text', value: (w) => w.row.mappingVersion },
  { name: 'deleted_at_source', type: 'boolean', value: () => false },
  { name: 'version', type: 'int', value: (w) => w.bump, onConflict: 'add' },
];

const LINE: readonly Column<Written<ErpInvoiceLineRow>>[] = [
  { name: 'id', type: 'uuid', value: (w) => w.row.id },
  { name: 'source_id', type: 'text', value: (w) => w.row.sourceId },
  { name: 'invoice_source_id', type: 'text', value: (w) => w.row.invoiceSourceId },
  { name: 'line_type', type: 'text', value: (w) => w.row.lineType },
  { name: 'sequence', type: 'int', value: (w) => w.row.sequence },
  { name: 'description', type: 'text', value: (w) => w.row.description },
  { name: 'account_source_id', type: 'text', value: (w) => w.row.accountSourceId },
  { name: 'quantity', type: 'numeric', value: (w) => w.row.quantity },
  { name: 'unit_price', type: 'numeric', value: (w) => w.row.unitPrice },
  { name: 'amount', type: 'numeric', value: (w) => w.row.amount },
  { name: 'currency', type: 'text', value: (w) => w.row.currency },
  { name: 'mapping_version', type: 'text', value: (w) => w.row.mappingVersion },
  { name: 'deleted_at_source', type: 'boolean', value: () => false },
];

const TAX: readonly Column<Written<ErpInvoiceTaxRow>>[] = [
  { name: 'id', type: 'uuid', value: (w) => w.row.id },
  { name: 'source_id', type: 'text', value: (w) => w.row.sourceId },
  { name: 'invoice_source_id', type: 'text', value: (w) => w.row.invoiceSourceId },
  { name: 'description', type: 'text', value: (w) => w.row.description },
  { name: 'base', type: 'numeric', value: (w) => w.row.base },
  { name: 'amount', type: 'numeric', value: (w) => w.row.amount },
  { name: 'mapping_version', type: 'text', value: (w) => w.row.mappingVersion },
  { name: 'deleted_at_source', type: 'boolean', value: () => false },
];

const PAYMENT: readonly Column<Written<ErpPaymentRow>>[] = [
  { name: 'id', type: 'uuid', value: (w) => w.row.id },
  { name: 'source_id', type: 'text', value: (w) => w.row.sourceId },
  { name: 'legal_entity_id', type: 'text', value: (w) => w.row.legalEntityId },
  { name: 'direction', type: 'text', value: (w) => w.row.direction },
  { name: 'state', type: 'text', value: (w) => w.row.state },
  { name: 'status', type: 'text', value: (w) => w.row.status },
  { name: 'amount', type: 'numeric', value: (w) => w.row.amount },
  { name: 'payment_date', type: 'date', value: (w) => w.row.paymentDate },
  { name: 'description', type: 'text', value: (w) => w.row.description },
  { name: 'party_source_id', type: 'text', value: (w) => w.row.partySourceId },
  { name: 'line_source_id', type: 'text', value: (w) => w.row.lineSourceId },
  { name: 'posting_id', type: 'uuid', value: (w) => w.row.postingId },
  { name: 'correlation_id', type: 'uuid', value: (w) => w.row.correlationId, onConflict: 'keep' },
  { name: 'source_updated_at', type: 'timestamptz', value: (w) => w.row.sourceUpdatedAt },
  { name: 'mapping_version', type: 'text', value: (w) => w.row.mappingVersion },
  { name: 'deleted_at_source', type: 'boolean', value: () => false },
  { name: 'version', type: 'int', value: (w) => w.bump, onConflict: 'add' },
];

/** What the write touched: the ERP invoices (by Tryton id) and payments (by row id) to reflect again. */
export interface ErpSideTouched {
  readonly invoices: ReadonlySet<string>;
  readonly payments: ReadonlySet<string>;
}

function split<R>(changes: ReadonlyMap<string, ErpChange<R>>): { written: Written<R>[]; deleted: string[] } {
  const written: Written<R>[] = [];
  const deleted: string[] = [];
  for (const [id, c] of changes) {
    if (c.row) written.push({ row: c.row, bump: c.bump });
    else deleted.push(id);
  }
  return { written, deleted };
}

/**
 * Writes the round's changes of the ERP's side, one statement per table and kind (rows as Tryton holds them;
 * deleted rows flagged). Returns the invoices whose totals, payments or links may have moved.
 */
export async function writeErpSide(db: Db, erp: ErpSideChanges): Promise<ErpSideTouched> {
  const invoices = new Set<string>();
  const payments = new Set<string>();
  if (erp.isEmpty) return { invoices, payments };
  const flag = async (table: string, ids: readonly string[], returning: string): Promise<string[]> => {
    if (!ids.length) return [];
    const { rows } = await db.query<{ touched: string | null }>(
      `update ${table} set deleted_at_source = true, updated_at = now() where id = any($1::uuid[])
       returning ${returning} as touched`,
      [ids],
    );
    return rows.flatMap((r) => (r.touched ? [r.touched] : []));
  };

  const inv = split(erp.invoices);
  await upsertRows(db, 'erp_invoice', INVOICE, inv.written, { conflict: 'id', alsoSet: ['updated_at = now()'] });
  for (const w of inv.written) invoices.add(w.row.sourceId);
  for (const s of await flag('erp_invoice', inv.deleted, 'source_id')) invoices.add(s);

  const lines = split(erp.lines);
  // A line moved to another invoice changes both: the old one is read before the write.
  if (lines.written.length) {
    const { rows } = await db.query<{ invoice_source_id: string }>(
      `select invoice_source_id from erp_invoice_line where id = any($1::uuid[]) and invoice_source_id is not null`,
      [lines.written.map((w) => w.row.id)],
    );
    for (const r of rows) invoices.add(r.invoice_source_id);
  }
  await upsertRows(db, 'erp_invoice_line', LINE, lines.written, { conflict: 'id', alsoSet: ['updated_at = now()'] });
  for (const w of lines.written) if (w.row.invoiceSourceId) invoices.add(w.row.invoiceSourceId);
  for (const s of await flag('erp_invoice_line', lines.deleted, 'invoice_source_id')) invoices.add(s);

  const taxes = split(erp.taxes);
  await upsertRows(db, 'erp_invoice_tax', TAX, taxes.written, { conflict: 'id', alsoSet: ['updated_at = now()'] });
  for (const w of taxes.written) invoices.add(w.row.invoiceSourceId);
  for (const s of await flag('erp_invoice_tax', taxes.deleted, 'invoice_source_id')) invoices.add(s);

  const pays = split(erp.payments);
  // The invoice a changed payment paid before is settled again too.
  const changed = [...erp.payments.keys()];
  if (changed.length) {
    const { rows } = await db.query<{ invoice_source_id: string }>(
      `select invoice_source_id from erp_payment where id = any($1::uuid[]) and invoice_source_id is not null`,
      [changed],
    );
    for (const r of rows) invoices.add(r.invoice_source_id);
  }
  await upsertRows(db, 'erp_payment', PAYMENT, pays.written, { conflict: 'id', alsoSet: ['updated_at = now()'] });
  await flag('erp_payment', pays.deleted, 'invoice_source_id');
  for (const id of changed) payments.add(id);
  return { invoices, payments };
}
