/**
 * Writes the billing rows (MariaDB, mysql2). Idempotent like writePostgres: rows already there under the run
 * prefix are skipped. Invoices go in with their lines; credit memos and payments follow in later transactions,
 * as they would on a billing platform. The payment-before-invoice anomaly commits its payment, waits, and then
 * inserts the invoice under the id the payment already references.
 */
import type { Connection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { BillingInvoice, Dataset } from './model';
import type { Progress } from './progress';
import { likePrefix, type TableResult, type WriteResult } from './writePostgres';

const BATCH = 250;

/** How long the payment of PARKED_THEN_APPLIED stays without its invoice. */
export const PAYMENT_FIRST_WAIT_MS = 2000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function inTransaction<T>(conn: Connection, work: () => Promise<T>): Promise<T> {
  await conn.beginTransaction();
  try {
    const out = await work();
    await conn.commit();
    return out;
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  }
}

async function keyIds(conn: Connection, sql: string, prefix: string): Promise<Map<string, number>> {
  const [rows] = await conn.query<RowDataPacket[]>(sql, [likePrefix(prefix)]);
  return new Map(rows.map((r) => [String(r.k), Number(r.id)]));
}

/** `insert into <table> (<columns>) values (…), (…)`; mysql2 expands the nested array. */
async function insertRows(conn: Connection, table: string, columns: readonly string[], rows: unknown[][]) {
  if (rows.length === 0) return;
  await conn.query<ResultSetHeader>(`insert into ${table} (${columns.join(', ')}) values ?`, [rows]);
}

const INVOICE_COLUMNS = [
  'customer_code',
  'number',
  'total',
  'currency',
  'issue_date',
  'legal_entity',
  'due_date',
  'subtotal',
  'tax_total',
  'status',
] as const;
const invoiceValues = (i: BillingInvoice): unknown[] => [
  i.customer_code,
  i.number,
  i.total,
  i.currency,
  i.issue_date,
  i.legal_entity,
  i.due_date,
  i.subtotal,
  i.tax_total,
  i.status,
];
const LINE_COLUMNS = [
  'invoice_id',
  'line_no',
  'product_code',
  'description',
  'quantity',
  'unit_price',
  'amount',
  'tax_code',
];
const lineValues = (invoiceId: number, i: BillingInvoice): unknown[][] =>
  i.lines.map((l) => [
    invoiceId,
    l.line_no,
    l.product_code,
    l.description,
    l.quantity,
    l.unit_price,
    l.amount,
    l.tax_code,
  ]);
const PAYMENT_COLUMNS = [
  'customer_code',
  'invoice_id',
  'amount',
  'currency',
  'paid_at',
  'method',
  'status',
  'reference',
  'legal_entity',
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BillingWriteOptions {
  /**
   * Write the payments of PARKED_THEN_APPLIED but not the invoices they reference (a second run of the same seed
   * writes those): whoever waits for the payment to be parked before the invoice exists then does not depend on how
   * long the pipeline takes to see the payment (`--hold-late-invoices`).
   */
  readonly holdLateInvoices?: boolean;
}

export async function writeBilling(
  conn: Connection,
  data: Dataset,
  progress: Progress,
  options: BillingWriteOptions = {},
): Promise<WriteResult> {
  const { customers, invoices } = data.billing;
  const tables: Record<string, TableResult> = {};

  // Customers.
  progress.start('billing.customer', customers.length);
  const customerIds = await keyIds(
    conn,
    'select customer_code as k, id from customer where customer_code like ?',
    data.prefix,
  );
  const newCustomers = customers.filter((c) => !customerIds.has(c.customer_code));
  progress.advance(customers.length - newCustomers.length);
  for (const batch of chunks(newCustomers, BATCH)) {
    await insertRows(
      conn,
      'customer',
      ['customer_code', 'name', 'tax_id', 'email', 'currency', 'legal_entity', 'status'],
      batch.map((c) => [c.customer_code, c.name, c.tax_id, c.email, c.currency, c.legal_entity, c.status]),
    );
    progress.advance(batch.length);
  }
  tables['billing.customer'] = { inserted: newCustomers.length, existing: customers.length - newCustomers.length };
  progress.finish(newCustomers.length, customers.length - newCustomers.length);

  // Invoices with their lines (the payment-first one comes below, on its own).
  const invoiceSql = 'select number as k, id from invoice where number like ?';
  progress.start('billing.invoice (+ lines)', invoices.length);
  const invoiceIds = await keyIds(conn, invoiceSql, data.prefix);
  const newInvoices = invoices.filter((i) => !invoiceIds.has(i.number));
  progress.advance(invoices.length - newInvoices.length);
  let lines = 0;
  for (const batch of chunks(
    newInvoices.filter((i) => !i.paymentFirst),
    BATCH,
  )) {
    await inTransaction(conn, async () => {
      const [returned] = await conn.query<RowDataPacket[]>(
        `insert into invoice (${INVOICE_COLUMNS.join(', ')}) values ? returning id, number`,
        [batch.map(invoiceValues)],
      );
      for (const r of returned) invoiceIds.set(String(r.number), Number(r.id));
      const lineRows = batch.flatMap((i) => {
        const id = invoiceIds.get(i.number);
        if (id === undefined) throw new Error(`seed: billing invoice ${i.number} was not returned by its insert`);
        return lineValues(id, i);
      });
      for (const part of chunks(lineRows, 1000)) await insertRows(conn, 'invoice_line', LINE_COLUMNS, part);
      lines += lineRows.length;
    });
    progress.advance(batch.length);
  }

  // PARKED_THEN_APPLIED: the payment row first (committed), about 2 s later the invoice it references.
  for (const invoice of newInvoices.filter((i) => i.paymentFirst)) {
    const payment = invoice.payments[0];
    if (!payment) throw new Error(`seed: ${invoice.number} is to be paid first but has no payment`);
    const [found] = await conn.query<RowDataPacket[]>('select invoice_id from payment where reference = ?', [
      payment.reference,
    ]);
    let invoiceId = found[0] ? Number(found[0].invoice_id) : undefined;
    if (invoiceId === undefined) {
      // An id well past the counter, so that nobody else's insert takes it during the wait.
      const [next] = await conn.query<RowDataPacket[]>(
        `select greatest(
           coalesce((select auto_increment from information_schema.tables
                      where table_schema = database() and table_name = 'invoice'), 1),
           coalesce((select max(id) + 1 from invoice), 1)) + 1000 as id`,
      );
      invoiceId = Number(next[0]?.id);
      await insertRows(conn, 'payment', PAYMENT_COLUMNS, [
        [
          payment.customer_code,
          invoiceId,
          payment.amount,
          payment.currency,
          payment.paid_at,
          payment.method,
          payment.status,
          payment.reference,
          payment.legal_entity,
        ],
      ]);
      if (!options.holdLateInvoices) {
        progress.note(
          `${payment.reference} committed for invoice id ${invoiceId}, which does not exist yet; waiting ${PAYMENT_FIRST_WAIT_MS} ms`,
        );
        await sleep(PAYMENT_FIRST_WAIT_MS);
      }
    }
    if (options.holdLateInvoices) {
      progress.note(`${payment.reference} committed for invoice id ${invoiceId}; the invoice is held back`);
      invoiceIds.set(invoice.number, invoiceId);
      continue;
    }
    const id = invoiceId;
    await inTransaction(conn, async () => {
      await conn.query(`insert into invoice (id, ${INVOICE_COLUMNS.join(', ')}) values ?`, [
        [[id, ...invoiceValues(invoice)]],
      ]);
      await insertRows(conn, 'invoice_line', LINE_COLUMNS, lineValues(id, invoice));
    });
    invoiceIds.set(invoice.number, id);
    lines += invoice.lines.length;
    progress.advance(1);
  }
  const allLines = invoices.reduce((n, i) => n + i.lines.length, 0);
  tables['billing.invoice'] = { inserted: newInvoices.length, existing: invoices.length - newInvoices.length };
  tables['billing.invoice_line'] = { inserted: lines, existing: allLines - lines };
  progress.finish(newInvoices.length, invoices.length - newInvoices.length);

  // Credit memos.
  const memos = invoices.flatMap((i) => i.credit_memos);
  progress.start('billing.credit_memo', memos.length);
  const memoIds = await keyIds(conn, 'select number as k, id from credit_memo where number like ?', data.prefix);
  const newMemos = memos.filter((m) => !memoIds.has(m.number));
  progress.advance(memos.length - newMemos.length);
  for (const batch of chunks(newMemos, BATCH)) {
    await insertRows(
      conn,
      'credit_memo',
      ['customer_code', 'number', 'invoice_number', 'total', 'currency', 'issue_date', 'legal_entity', 'reason'],
      batch.map((m) => [
        m.customer_code,
        m.number,
        m.invoice_number,
        m.total,
        m.currency,
        m.issue_date,
        m.legal_entity,
        m.reason,
      ]),
    );
    progress.advance(batch.length);
  }
  tables['billing.credit_memo'] = { inserted: newMemos.length, existing: memos.length - newMemos.length };
  progress.finish(newMemos.length, memos.length - newMemos.length);

  // Payments, each referencing its invoice's id.
  const payments = invoices.flatMap((i) => i.payments.map((p) => ({ p, invoice: i.number })));
  progress.start('billing.payment', payments.length);
  const paymentSql = 'select reference as k, id from payment where reference like ?';
  const paymentIds = await keyIds(conn, paymentSql, data.prefix);
  const newPayments = payments.filter(({ p }) => !paymentIds.has(p.reference));
  progress.advance(payments.length - newPayments.length);
  for (const batch of chunks(newPayments, BATCH)) {
    await insertRows(
      conn,
      'payment',
      PAYMENT_COLUMNS,
      batch.map(({ p, invoice }) => {
        const invoiceId = invoiceIds.get(invoice);
        if (invoiceId === undefined) throw new Error(`seed: no id for billing invoice ${invoice}`);
        return [
          p.customer_code,
          invoiceId,
          p.amount,
          p.currency,
          p.paid_at,
          p.method,
          p.status,
          p.reference,
          p.legal_entity,
        ];
      }),
    );
    progress.advance(batch.length);
  }
  // The payment-first payment was inserted above, not here: count it as inserted by this run if it is new.
  const paymentFirstNew = newInvoices.filter((i) => i.paymentFirst).length;
  const paymentResult = {
    inserted: newPayments.length + paymentFirstNew,
    existing: payments.length - newPayments.length - paymentFirstNew,
  };
  tables['billing.payment'] = paymentResult;
  progress.finish(paymentResult.inserted, paymentResult.existing);

  return {
    tables,
    ids: {
      customer: await keyIds(
        conn,
        'select customer_code as k, id from customer where customer_code like ?',
        data.prefix,
      ),
      invoice: invoiceIds,
      payment: await keyIds(conn, paymentSql, data.prefix),
      credit_memo: await keyIds(conn, 'select number as k, id from credit_memo where number like ?', data.prefix),
    },
  };
}
