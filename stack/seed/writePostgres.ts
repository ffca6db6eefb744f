/**
 * Writes the procurement and payroll rows (Postgres, node-postgres). Idempotent: rows already there (found by
 * natural key under the run prefix) are skipped, so running the same seed twice adds nothing. A supplier invoice
 * and its lines go in one transaction, so either both are there or neither.
 */
import type { Client } from 'pg';
import type { Dataset, SupplierInvoice } from './model';
import { supplierInvoiceKey } from './model';
import type { Progress } from './progress';

export interface TableResult {
  inserted: number;
  existing: number;
}

export interface WriteResult {
  tables: Record<string, TableResult>;
  /** `<table>` → natural key (values joined by `|`) → source id. */
  ids: Record<string, Map<string, number>>;
}

const BATCH = 250;

export const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, '\\$&')}%`;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `insert into <table> (<columns>) values ($1, $2), ($3, $4) … <suffix>`; `casts` adds `::type` to a column. */
async function insertRows<R extends Record<string, unknown>>(
  client: Client,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  suffix = '',
  casts: Readonly<Record<string, string>> = {},
): Promise<R[]> {
  if (rows.length === 0) return [];
  const values: unknown[] = [];
  const tuples = rows.map((row) => {
    const slots = row.map((v, k) => {
      values.push(v);
      const cast = casts[columns[k] ?? ''];
      return cast ? `$${values.length}::${cast}` : `$${values.length}`;
    });
    return `(${slots.join(', ')})`;
  });
  const sql = `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')} ${suffix}`;
  const result = await client.query<R>(sql, values);
  return result.rows;
}

async function inTransaction<T>(client: Client, work: () => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    const out = await work();
    await client.query('commit');
    return out;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}

/** Rows keyed by a unique column: existing ones skipped, the rest inserted in batches. */
async function writeKeyed<T>(
  client: Client,
  progress: Progress,
  opts: {
    label: string;
    table: string;
    keyColumn: string;
    prefix: string;
    rows: readonly T[];
    key: (row: T) => string;
    columns: readonly string[];
    values: (row: T) => readonly unknown[];
    casts?: Readonly<Record<string, string>>;
  },
): Promise<{ result: TableResult; ids: Map<string, number> }> {
  const { table, keyColumn } = opts;
  progress.start(opts.label, opts.rows.length);
  const existing = await client.query<{ key: string; id: string }>(
    `select ${keyColumn} as key, id from ${table} where ${keyColumn} like $1`,
    [likePrefix(opts.prefix)],
  );
  const ids = new Map(existing.rows.map((r) => [r.key, Number(r.id)]));
  const missing = opts.rows.filter((r) => !ids.has(opts.key(r)));
  progress.advance(opts.rows.length - missing.length);
  let inserted = 0;
  for (const batch of chunks(missing, BATCH)) {
    const rows = await insertRows<{ key: string; id: string }>(
      client,
      table,
      opts.columns,
      batch.map(opts.values),
      `on conflict (${keyColumn}) do nothing returning ${keyColumn} as key, id`,
      opts.casts,
    );
    for (const r of rows) ids.set(r.key, Number(r.id));
    inserted += rows.length;
    progress.advance(batch.length);
  }
  const result = { inserted, existing: opts.rows.length - inserted };
  progress.finish(result.inserted, result.existing);
  return { result, ids };
}

export async function writeProcurement(client: Client, data: Dataset, progress: Progress): Promise<WriteResult> {
  const { suppliers, purchaseOrders, supplierInvoices } = data.procurement;
  const tables: Record<string, TableResult> = {};
  const ids: Record<string, Map<string, number>> = {};

  const s = await writeKeyed(client, progress, {
    label: 'procurement.supplier',
    table: 'supplier',
    keyColumn: 'supplier_code',
    prefix: data.prefix,
    rows: suppliers,
    key: (r) => r.supplier_code,
    columns: [
      'supplier_code',
      'legal_name',
      'tax_id',
      'iban',
      'country',
      'email',
      'onboarding_status',
      'currency',
      'legal_entity',
    ],
    values: (r) => [
      r.supplier_code,
      r.legal_name,
      r.tax_id,
      r.iban,
      r.country,
      r.email,
      r.onboarding_status,
      r.currency,
      r.legal_entity,
    ],
  });
  tables['procurement.supplier'] = s.result;
  ids.supplier = s.ids;

  const po = await writeKeyed(client, progress, {
    label: 'procurement.purchase_order',
    table: 'purchase_order',
    keyColumn: 'po_number',
    prefix: data.prefix,
    rows: purchaseOrders,
    key: (r) => r.po_number,
    columns: ['po_number', 'supplier_code', 'legal_entity', 'order_date', 'currency', 'total_amount', 'status'],
    values: (r) => [r.po_number, r.supplier_code, r.legal_entity, r.order_date, r.currency, r.total_amount, r.status],
  });
  tables['procurement.purchase_order'] = po.result;
  ids.purchase_order = po.ids;

  // Supplier invoices: (supplier_ref, number) is deliberately not unique, so they are found by
  // (supplier_ref, number, invoice_date) and written with their lines, one transaction per batch.
  progress.start('procurement.supplier_invoice (+ lines)', supplierInvoices.length);
  const existing = await client.query<{ id: string; supplier_ref: string; number: string; invoice_date: string }>(
    `select id, supplier_ref, number, invoice_date::text as invoice_date from supplier_invoice where number like $1`,
    [likePrefix(data.prefix)],
  );
  const invoiceIds = new Map(existing.rows.map((r) => [supplierInvoiceKey(r), Number(r.id)]));
  const missing = supplierInvoices.filter((i) => !invoiceIds.has(supplierInvoiceKey(i)));
  progress.advance(supplierInvoices.length - missing.length);
  let lines = 0;
  for (const batch of chunks(missing, BATCH)) {
    await inTransaction(client, async () => {
      const rows = await insertRows<{ id: string; supplier_ref: string; number: string; invoice_date: string }>(
        client,
        'supplier_invoice',
        [
          'supplier_ref',
          'number',
          'amount',
          'currency',
          'invoice_date',
          'approved_at',
          'legal_entity',
          'po_number',
          'tax_amount',
          'due_date',
          'status',
        ],
        batch.map((i: SupplierInvoice) => [
          i.supplier_ref,
          i.number,
          i.amount,
          i.currency,
          i.invoice_date,
          i.approved_at,
          i.legal_entity,
          i.po_number,
          i.tax_amount,
          i.due_date,
          i.status,
        ]),
        'returning id, supplier_ref, number, invoice_date::text as invoice_date',
      );
      for (const r of rows) invoiceIds.set(supplierInvoiceKey(r), Number(r.id));
      const lineRows = batch.flatMap((i) => {
        const id = invoiceIds.get(supplierInvoiceKey(i));
        if (id === undefined) throw new Error(`seed: supplier invoice ${i.number} was not returned by its insert`);
        return i.lines.map((l) => [
          id,
          l.line_no,
          l.description,
          l.account_code,
          l.cost_center,
          l.tax_code,
          l.quantity,
          l.unit_price,
          l.amount,
        ]);
      });
      for (const part of chunks(lineRows, 1000)) {
        await insertRows(
          client,
          'supplier_invoice_line',
          [
            'supplier_invoice_id',
            'line_no',
            'description',
            'account_code',
            'cost_center',
            'tax_code',
            'quantity',
            'unit_price',
            'amount',
          ],
          part,
        );
      }
      lines += lineRows.length;
    });
    progress.advance(batch.length);
  }
  tables['procurement.supplier_invoice'] = {
    inserted: missing.length,
    existing: supplierInvoices.length - missing.length,
  };
  const allLines = supplierInvoices.reduce((n, i) => n + i.lines.length, 0);
  tables['procurement.supplier_invoice_line'] = { inserted: lines, existing: allLines - lines };
  progress.finish(missing.length, supplierInvoices.length - missing.length);
  ids.supplier_invoice = invoiceIds;
  return { tables, ids };
}

export async function writePayroll(client: Client, data: Dataset, progress: Progress): Promise<WriteResult> {
  const j = await writeKeyed(client, progress, {
    label: 'payroll.payroll_journal',
    table: 'payroll_journal',
    keyColumn: 'run_code',
    prefix: data.prefix,
    rows: data.payroll.journals,
    key: (r) => r.run_code,
    columns: ['run_code', 'legal_entity', 'period_start', 'period_end', 'pay_date', 'currency', 'status', 'lines'],
    values: (r) => [
      r.run_code,
      r.legal_entity,
      r.period_start,
      r.period_end,
      r.pay_date,
      r.currency,
      r.status,
      JSON.stringify(r.lines),
    ],
    casts: { lines: 'jsonb' },
  });
  return { tables: { 'payroll.payroll_journal': j.result }, ids: { payroll_journal: j.ids } };
}
