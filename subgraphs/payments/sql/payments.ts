import type { Condition, SortKey } from '../../shared/listQuery';
import { parseDecimalArg } from '../../shared/money';
import { periodRange } from '../../shared/periodRange';

/** Payment columns (`p` is the payment table). */
export const PAYMENT_COLUMNS = `p.id::text as id, p.legal_entity_id, p.direction, p.vendor_id::text as vendor_id,
  p.customer_id::text as customer_id, p.payment_date::text as payment_date, p.currency, p.total_amount::text as total_amount,
  p.reference, p.status, p.correlation_id::text as correlation_id, p.source_updated_at, p.canonical_updated_at,
  p.deleted_at_source, p.version, p.mapping_version`;

export const PAYMENTS_BY_IDS = `select ${PAYMENT_COLUMNS} from payment p where p.id = any($1::uuid[])`;

/** Payments allocated to the given invoices, oldest first; `$1` = invoice uuid[]. */
export const PAYMENTS_BY_INVOICE_IDS = `select a.invoice_id::text as invoice_id, ${PAYMENT_COLUMNS}
  from payment_allocation a join payment p on p.id = a.payment_id
  where a.invoice_id = any($1::uuid[]) order by a.invoice_id, p.payment_date, p.id`;

/** Allocations of the given payments; `$1` = payment uuid[]. */
export const ALLOCATIONS_BY_PAYMENT_IDS = `select payment_id::text, invoice_id::text, amount::text, currency
  from payment_allocation where payment_id = any($1::uuid[]) order by payment_id, invoice_id`;

export interface PaymentRow {
  readonly id: string;
  readonly legal_entity_id: string;
  readonly direction: string;
  readonly vendor_id: string | null;
  readonly customer_id: string | null;
  readonly payment_date: string;
  readonly currency: string;
  readonly total_amount: string;
  readonly reference: string | null;
  readonly status: string;
  readonly correlation_id: string;
  readonly source_updated_at: Date | null;
  readonly canonical_updated_at: Date;
  readonly deleted_at_source: boolean;
  readonly version: number;
  readonly mapping_version: string | null;
}

export interface AllocationRow {
  readonly payment_id: string;
  readonly invoice_id: string;
  readonly amount: string;
  readonly currency: string;
}

export interface PaymentFilter {
  readonly legalEntityId?: readonly string[] | null;
  readonly direction?: string | null;
  readonly status?: readonly string[] | null;
  readonly counterpartyId?: string | null;
  readonly currency?: readonly string[] | null;
  readonly period?: string | null;
  readonly paymentDateFrom?: string | null;
  readonly paymentDateTo?: string | null;
  readonly minAmount?: string | null;
  readonly maxAmount?: string | null;
  readonly referencePrefix?: string | null;
  readonly includeDeletedAtSource?: boolean | null;
}

export const PAYMENT_SORTS: Readonly<Record<string, SortKey>> = {
  PAYMENT_DATE: { expr: 'p.payment_date', type: 'date' },
  TOTAL_AMOUNT: { expr: 'p.total_amount', type: 'numeric' },
  REFERENCE: { expr: "coalesce(p.reference, '')", type: 'text' },
  LAST_UPDATED: { expr: 'p.canonical_updated_at', type: 'timestamptz' },
};

const c = (sql: string, value: unknown): Condition | null =>
  value === null || value === undefined ? null : { sql, value };

/** The filter as SQL conditions over `p`. */
export function paymentConditions(filter: PaymentFilter | null | undefined): Array<Condition | null> {
  const f = filter ?? {};
  const period = f.period ? periodRange(f.period, 'filter.period') : null;
  return [
    c('p.legal_entity_id = any($?::text[])', f.legalEntityId),
    c('p.direction = $?', f.direction),
    c('p.status = any($?::text[])', f.status),
    c('(p.vendor_id = $?::uuid or p.customer_id = $?::uuid)', f.counterpartyId),
    c('p.currency = any($?::text[])', f.currency),
    c('p.payment_date >= $?::date', period?.from),
    c('p.payment_date <= $?::date', period?.to),
    c('p.payment_date >= $?::date', f.paymentDateFrom),
    c('p.payment_date <= $?::date', f.paymentDateTo),
    c('p.total_amount >= $?::numeric', parseDecimalArg(f.minAmount, 'filter.minAmount')),
    c('p.total_amount <= $?::numeric', parseDecimalArg(f.maxAmount, 'filter.maxAmount')),
    c(
      "p.reference like $? || '%'",
      f.referencePrefix?.replace(/[\\%_]/g, (m) => `\\${m}`),
    ),
    f.includeDeletedAtSource ? null : { sql: 'not p.deleted_at_source' },
  ];
}
