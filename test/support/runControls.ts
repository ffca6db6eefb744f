import { Decimal } from '../../canonical-schema/money/Decimal';
import type { Pool } from 'pg';
import type { Manifest } from '../../stack/seed/manifest';

/** Per currency: how many records and the sum of their amount (2 decimals), as the manifest states controls. */
export type CurrencyTotals = Record<string, { count: number; total: string }>;

/** Runs a `select currency, n, total … group by currency` with `$1` = the run prefix. */
export async function totalsByCurrency(pool: Pool, sql: string, prefix: string): Promise<CurrencyTotals> {
  const { rows } = await pool.query<{ currency: string; n: number; total: string | null }>(sql, [prefix]);
  return Object.fromEntries(
    rows.map((r) => [r.currency.trim(), { count: r.n, total: new Decimal(r.total ?? 0).toFixed(2) }]),
  );
}

/** The manifest's controls of a source table, in the same shape (`field` picks total, credit or settled). */
export function expectedTotals(
  manifest: Manifest,
  table: string,
  field: 'total' | 'credit' | 'settled' = 'total',
): CurrencyTotals {
  const control = manifest.controls[table];
  if (!control) throw new Error(`the manifest has no controls for ${table}`);
  return Object.fromEntries(
    Object.entries(control.byCurrency).map(([currency, c]) => [
      currency,
      { count: c.count, total: new Decimal(c[field] ?? 0).toFixed(2) },
    ]),
  );
}

/** The canonical records of one seed run, by counting what carries its prefix (`S<seed>-`). */
export const runQueries = {
  /** Billing invoices (not credit memos): count and total per currency. */
  receivables: `select currency, count(*)::int as n, sum(total_amount)::text as total from invoice
                 where type = 'ACCOUNTS_RECEIVABLE' and not is_credit_note and number like $1 || '%' group by currency`,
  /** Billing credit memos. */
  creditMemos: `select currency, count(*)::int as n, sum(total_amount)::text as total from invoice
                 where type = 'ACCOUNTS_RECEIVABLE' and is_credit_note and number like $1 || '%' group by currency`,
  /** Supplier invoices (their amount includes tax, as the canonical total does). */
  payables: `select currency, count(*)::int as n, sum(total_amount)::text as total from invoice
              where type = 'ACCOUNTS_PAYABLE' and number like $1 || '%' group by currency`,
  /** Lines of supplier invoices: count and net amount. */
  payableLines: `select i.currency, count(*)::int as n, sum(l.total_amount)::text as total
                   from invoice_line l join invoice i on i.id = l.invoice_id
                  where i.type = 'ACCOUNTS_PAYABLE' and i.number like $1 || '%' group by i.currency`,
  /** Lines of billing invoices (credit memos have none). */
  receivableLines: `select i.currency, count(*)::int as n, sum(l.total_amount)::text as total
                      from invoice_line l join invoice i on i.id = l.invoice_id
                     where i.type = 'ACCOUNTS_RECEIVABLE' and not i.is_credit_note and i.number like $1 || '%'
                     group by i.currency`,
  /** Payments, whatever their status. */
  payments: `select currency, count(*)::int as n, sum(total_amount)::text as total from payment
              where reference like $1 || '%' group by currency`,
  /** What the settled payments allocate to the run's invoices (count: settled allocations). */
  settledAllocations: `select a.currency, count(*)::int as n, sum(a.amount)::text as total
                         from payment_allocation a join payment p on p.id = a.payment_id
                        where p.reference like $1 || '%' and p.status = 'SETTLED' group by a.currency`,
  /** Payroll journals: count and debits. */
  journalDebits: `select l.currency, count(distinct j.id)::int as n, sum(l.debit)::text as total
                    from journal_entry j join journal_line l on l.journal_entry_id = j.id
                   where j.number like $1 || '%' group by l.currency`,
  /** Payroll journals: count and credits. */
  journalCredits: `select l.currency, count(distinct j.id)::int as n, sum(l.credit)::text as total
                     from journal_entry j join journal_line l on l.journal_entry_id = j.id
                    where j.number like $1 || '%' group by l.currency`,
  /** Vendors from the run's suppliers (the source id is the supplier code). */
  vendors: `select v.currency, count(*)::int as n, null as total from vendor v
              join source_reference r on r.canonical_id = v.id and r.object_type = 'VENDOR'
             where r.source_id like $1 || '%' group by v.currency`,
  /** Customers from the run's billing customers (the source id is the customer code). */
  customers: `select c.currency, count(*)::int as n, null as total from customer c
                join source_reference r on r.canonical_id = c.id and r.object_type = 'CUSTOMER'
               where r.source_id like $1 || '%' group by c.currency`,
} as const;

/**
 * How many canonical rows, source references and parked changes the run has so far: a progress measure that
 * other runs' events do not move.
 */
export async function runRowCount(pool: Pool, prefix: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select ((select count(*) from invoice where number like $1 || '%')
          + (select count(*) from invoice_line l join invoice i on i.id = l.invoice_id where i.number like $1 || '%')
          + (select count(*) from payment where reference like $1 || '%')
          + (select count(*) from journal_entry where number like $1 || '%')
          + (select count(*) from source_reference where source_id like $1 || '%')
          + (select count(*) from parked_event where event::text like '%' || $1 || '%')
          + (select count(*) from exception where message like '%' || $1 || '%'))::int as n`,
    [prefix],
  );
  return rows[0]!.n;
}
