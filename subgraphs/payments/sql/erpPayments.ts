/**
 * The ERP's side of payments (`erp_payment`) by the canonical payment they are linked to, with the canonical invoice
 * of the ERP invoice each pays; `$1` = uuid[].
 */
export const ERP_PAYMENTS_BY_CANONICAL_IDS = `
  select distinct on (p.canonical_id) p.canonical_id::text, p.source_id, p.role, p.state, p.status,
         trim(coalesce(p.currency, le.base_currency)) as currency, p.amount::text, p.payment_date::text,
         p.description, p.deleted_at_source, p.posting_id::text, e.canonical_id::text as invoice_id,
         e.source_id as invoice_source_id, p.updated_at
    from erp_payment p join legal_entity le on le.id = p.legal_entity_id
    left join erp_invoice e on e.source_id = p.invoice_source_id
   where p.canonical_id = any($1::uuid[])
   order by p.canonical_id, p.deleted_at_source, p.updated_at desc`;

export interface ErpPaymentRow {
  readonly canonical_id: string;
  readonly source_id: string;
  readonly role: string;
  readonly state: string;
  readonly status: string;
  readonly currency: string;
  readonly amount: string;
  readonly payment_date: string;
  readonly description: string | null;
  readonly deleted_at_source: boolean;
  readonly posting_id: string | null;
  readonly invoice_id: string | null;
  readonly invoice_source_id: string | null;
  readonly updated_at: Date;
}
