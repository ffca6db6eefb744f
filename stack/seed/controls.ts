/**
 * Record counts and control totals per source table and currency, over the rows expected to reach the canonical
 * model without an exception (clean rows, plus the payment-before-invoice pair, which is parked and then applied).
 */
import { Decimal } from './money';
import type { Dataset, Planted } from './model';

export interface CurrencyControl {
  count: number;
  /** Sum of the table's amount column (absent without one); for payroll journals the debits. */
  total?: string;
  /** Payroll journals only: the sum of the credits. */
  credit?: string;
  /** Payments only: the sum of the settled ones (pending and failed payments are in `total` too). */
  settled?: string;
}

export interface TableControl {
  count: number;
  /** The column summed into `total`, or null for tables without an amount (suppliers, customers). */
  amountColumn: string | null;
  byCurrency: Record<string, CurrencyControl>;
}

/** `<system>.<table>` → its controls, e.g. `billing.invoice`. */
export type Controls = Record<string, TableControl>;

const counted = (row: Planted): boolean => !row.excluded;

function tally(
  rows: readonly { currency: string; amount?: string; credit?: string; settled?: string }[],
  amountColumn: string | null,
): TableControl {
  const byCurrency: Record<string, { count: number; total: Decimal; credit: Decimal | null; settled: Decimal | null }> =
    {};
  for (const row of rows) {
    const c = (byCurrency[row.currency] ??= { count: 0, total: new Decimal(0), credit: null, settled: null });
    c.count++;
    if (row.amount !== undefined) c.total = c.total.plus(row.amount);
    if (row.credit !== undefined) c.credit = (c.credit ?? new Decimal(0)).plus(row.credit);
    if (row.settled !== undefined) c.settled = (c.settled ?? new Decimal(0)).plus(row.settled);
  }
  const sorted = Object.keys(byCurrency).sort();
  return {
    count: rows.length,
    amountColumn,
    byCurrency: Object.fromEntries(
      sorted.map((cur) => {
        const c = byCurrency[cur];
        if (!c) throw new Error('unreachable');
        const out: CurrencyControl = { count: c.count };
        if (amountColumn) out.total = c.total.toFixed(2);
        if (c.credit) out.credit = c.credit.toFixed(2);
        if (c.settled) out.settled = c.settled.toFixed(2);
        return [cur, out];
      }),
    ),
  };
}

export function computeControls(data: Dataset): Controls {
  const { suppliers, purchaseOrders, supplierInvoices } = data.procurement;
  const invoices = supplierInvoices.filter(counted);
  const billingInvoices = data.billing.invoices.filter(counted);
  const journals = data.payroll.journals.filter(counted);
  const sumOf = (values: readonly string[]) => values.reduce((a, v) => a.plus(v), new Decimal(0)).toFixed(2);
  return {
    'procurement.supplier': tally(suppliers.filter(counted), null),
    'procurement.purchase_order': tally(
      purchaseOrders.filter(counted).map((p) => ({ currency: p.currency, amount: p.total_amount })),
      'total_amount',
    ),
    'procurement.supplier_invoice': tally(invoices, 'amount'),
    'procurement.supplier_invoice_line': tally(
      invoices.flatMap((i) => i.lines.map((l) => ({ currency: i.currency, amount: l.amount }))),
      'amount',
    ),
    'payroll.payroll_journal': tally(
      journals.map((j) => ({
        currency: j.currency,
        amount: sumOf(j.lines.map((l) => l.debit)),
        credit: sumOf(j.lines.map((l) => l.credit)),
      })),
      'lines[].debit',
    ),
    'billing.customer': tally(data.billing.customers.filter(counted), null),
    'billing.invoice': tally(
      billingInvoices.map((i) => ({ currency: i.currency, amount: i.total })),
      'total',
    ),
    'billing.invoice_line': tally(
      billingInvoices.flatMap((i) => i.lines.map((l) => ({ currency: i.currency, amount: l.amount }))),
      'amount',
    ),
    'billing.payment': tally(
      billingInvoices.flatMap((i) =>
        i.payments.map((p) => ({
          currency: p.currency,
          amount: p.amount,
          settled: p.status === 'settled' ? p.amount : '0',
        })),
      ),
      'amount',
    ),
    'billing.credit_memo': tally(
      billingInvoices.flatMap((i) => i.credit_memos.map((m) => ({ currency: m.currency, amount: m.total }))),
      'total',
    ),
  };
}
