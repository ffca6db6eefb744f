import type { Condition, SortKey } from '../../shared/listQuery';
import { parseDecimalArg } from '../../shared/money';
import { periodRange } from '../../shared/periodRange';
import { INVOICE_COLUMNS } from './invoiceColumns';

/** The `InvoiceFilter` input as GraphQL passes it. */
export interface InvoiceFilter {
  readonly legalEntityId?: readonly string[] | null;
  readonly type?: string | null;
  readonly status?: readonly string[] | null;
  readonly counterpartyId?: string | null;
  readonly currency?: readonly string[] | null;
  readonly period?: string | null;
  readonly fiscalYear?: number | null;
  readonly issueDateFrom?: string | null;
  readonly issueDateTo?: string | null;
  readonly dueDateFrom?: string | null;
  readonly dueDateTo?: string | null;
  readonly minAmount?: string | null;
  readonly maxAmount?: string | null;
  readonly numberPrefix?: string | null;
  readonly isCreditNote?: boolean | null;
  readonly includeDeletedAtSource?: boolean | null;
}

export const INVOICE_FROM = 'invoice i';
export const INVOICE_SELECT = INVOICE_COLUMNS;

/** Allowlisted sort keys (never null: a missing due date sorts last). */
export const INVOICE_SORTS: Readonly<Record<string, SortKey>> = {
  ISSUE_DATE: { expr: 'i.issue_date', type: 'date' },
  DUE_DATE: { expr: "coalesce(i.due_date, date '9999-12-31')", type: 'date' },
  NUMBER: { expr: 'i.number', type: 'text' },
  TOTAL_AMOUNT: { expr: 'i.total_amount', type: 'numeric' },
  LAST_UPDATED: { expr: 'i.canonical_updated_at', type: 'timestamptz' },
};

const c = (sql: string, value: unknown): Condition | null =>
  value === null || value === undefined ? null : { sql, value };

/** The filter as SQL conditions; `scope` adds the parent's condition (a vendor's or customer's invoices). */
export function invoiceConditions(filter: InvoiceFilter | null | undefined, scope: Condition | null): Condition[] {
  const f = filter ?? {};
  const period = f.period ? periodRange(f.period, 'filter.period') : null;
  return [
    scope,
    c('i.legal_entity_id = any($?::text[])', f.legalEntityId),
    c('i.type = $?', f.type),
    c('i.status = any($?::text[])', f.status),
    c('(i.vendor_id = $?::uuid or i.customer_id = $?::uuid)', f.counterpartyId),
    c('i.currency = any($?::text[])', f.currency),
    c('i.issue_date >= $?::date', period?.from),
    c('i.issue_date <= $?::date', period?.to),
    c('i.fiscal_year = $?', f.fiscalYear),
    c('i.issue_date >= $?::date', f.issueDateFrom),
    c('i.issue_date <= $?::date', f.issueDateTo),
    c('i.due_date >= $?::date', f.dueDateFrom),
    c('i.due_date <= $?::date', f.dueDateTo),
    c('i.total_amount >= $?::numeric', parseDecimalArg(f.minAmount, 'filter.minAmount')),
    c('i.total_amount <= $?::numeric', parseDecimalArg(f.maxAmount, 'filter.maxAmount')),
    c(
      "i.number like $? || '%'",
      f.numberPrefix?.replace(/[\\%_]/g, (m) => `\\${m}`),
    ),
    c('i.is_credit_note = $?', f.isCreditNote),
    f.includeDeletedAtSource ? null : { sql: 'not i.deleted_at_source' },
  ].filter((x): x is Condition => x !== null);
}
