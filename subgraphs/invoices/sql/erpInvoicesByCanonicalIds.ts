/** The ERP's side of invoices (`erp_invoice`), by the canonical invoice it is linked to; `$1` = uuid[]. */
export const ERP_INVOICES_BY_CANONICAL_IDS = `
  select distinct on (e.canonical_id) e.canonical_id::text, e.source_id, e.number, e.reference, e.role, e.state,
         e.status, trim(e.currency) as currency, e.untaxed_amount::text, e.tax_amount::text, e.total_amount::text,
         e.paid_amount::text, e.invoice_date::text, e.accounting_date::text, e.deleted_at_source,
         e.posting_id::text, e.updated_at
    from erp_invoice e
   where e.canonical_id = any($1::uuid[])
   order by e.canonical_id, e.deleted_at_source, e.updated_at desc`;

export interface ErpInvoiceRow {
  readonly canonical_id: string;
  readonly source_id: string;
  readonly number: string | null;
  readonly reference: string | null;
  readonly role: string;
  readonly state: string;
  readonly status: string;
  readonly currency: string;
  readonly untaxed_amount: string;
  readonly tax_amount: string;
  readonly total_amount: string;
  readonly paid_amount: string;
  readonly invoice_date: string | null;
  readonly accounting_date: string | null;
  readonly deleted_at_source: boolean;
  readonly posting_id: string | null;
  readonly updated_at: Date;
}
