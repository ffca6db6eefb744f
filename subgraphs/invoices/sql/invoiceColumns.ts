/** The invoice columns every invoice query selects (`i` is the invoice table). */
export const INVOICE_COLUMNS = `i.id::text as id, i.legal_entity_id, i.type, i.is_credit_note, i.number,
  i.vendor_id::text as vendor_id, i.customer_id::text as customer_id, i.issue_date::text as issue_date,
  i.due_date::text as due_date, i.fiscal_year, i.currency, i.sub_total::text as sub_total,
  i.total_tax_amount::text as total_tax_amount, i.total_amount::text as total_amount, i.balance::text as balance,
  i.status, i.memo, i.correlation_id::text as correlation_id, i.source_updated_at, i.canonical_updated_at,
  i.deleted_at_source, i.version, i.mapping_version`;

/** A row of `INVOICE_COLUMNS`. */
export interface InvoiceRow {
  readonly id: string;
  readonly legal_entity_id: string;
  readonly type: string;
  readonly is_credit_note: boolean;
  readonly number: string;
  readonly vendor_id: string | null;
  readonly customer_id: string | null;
  readonly issue_date: string;
  readonly due_date: string | null;
  readonly fiscal_year: number;
  readonly currency: string;
  readonly sub_total: string;
  readonly total_tax_amount: string;
  readonly total_amount: string;
  readonly balance: string;
  readonly status: string;
  readonly memo: string | null;
  readonly correlation_id: string;
  readonly source_updated_at: Date | null;
  readonly canonical_updated_at: Date;
  readonly deleted_at_source: boolean;
  readonly version: number;
  readonly mapping_version: string | null;
}
