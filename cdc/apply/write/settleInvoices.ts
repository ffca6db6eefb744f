import type { Db } from '../../../canonical-schema/Db';

export interface Settlement {
  readonly invoiceId: string;
  readonly oldStatus: string;
  readonly newStatus: string;
  readonly legalEntityId: string;
  readonly correlationId: string;
}

/**
 * Recomputes the open balance of the invoices from their settled payment allocations, and their status
 * from that: an open invoice with some payment is PARTIALLY_PAID, fully covered is PAID (a negative balance
 * means overpaid), a paid one whose payments went away is OPEN again. DRAFT, SUBMITTED and VOID invoices
 * keep the status their source gave them. An invoice whose payments the ERP records (a supplier invoice, or one
 * entered in the ERP) follows its ERP side too: paid or partly paid there is paid or partly paid here. One statement for all of them; returns the invoices whose
 * status changed. An invoice whose balance or status moves only because of its payments is a new version;
 * one the round wrote itself (`writtenIds`) already counted this round's change.
 */
export async function settleInvoices(
  db: Db,
  invoiceIds: readonly string[],
  writtenIds: readonly string[],
): Promise<Settlement[]> {
  if (!invoiceIds.length) return [];
  const { rows } = await db.query<{
    id: string;
    old_status: string;
    new_status: string;
    legal_entity_id: string;
    correlation_id: string;
  }>(
    `with target as (select distinct t.id from unnest($1::uuid[]) as t(id)),
     paid as (
       select t.id, coalesce(sum(a.amount) filter (where p.status = 'SETTLED' and not p.deleted_at_source), 0) as amount
         from target t
         left join payment_allocation a on a.invoice_id = t.id
         left join payment p on p.id = a.payment_id
        group by t.id
     ), erp as (
       -- Where the ERP records an invoice's payments (a supplier invoice: procurement holds none; or one entered in
       -- the ERP), its ERP side's payment status is the invoice's: paid in Tryton is paid.
       select e.canonical_id as id, e.status, e.paid_amount
         from erp_invoice e join target t on t.id = e.canonical_id join invoice i on i.id = e.canonical_id
        where not e.deleted_at_source and e.status in ('PARTIALLY_PAID', 'PAID')
          and (e.role = 'SOURCE' or (e.role = 'TARGET' and i.type = 'ACCOUNTS_PAYABLE'))
     ), computed as (
       select i.id, i.status as old_status,
              case
                when i.status not in ('DRAFT', 'SUBMITTED', 'VOID') and erp.status = 'PAID' then 0
                when i.status not in ('DRAFT', 'SUBMITTED', 'VOID') and erp.id is not null
                  then i.total_amount - greatest(erp.paid_amount, paid.amount)
                else i.total_amount - paid.amount
              end as balance,
              case
                when i.status in ('DRAFT', 'SUBMITTED', 'VOID') then i.status
                when erp.status = 'PAID' then 'PAID'
                when paid.amount >= i.total_amount and i.total_amount > 0 then 'PAID'
                when paid.amount > 0 or erp.id is not null then 'PARTIALLY_PAID'
                when i.status in ('PAID', 'PARTIALLY_PAID') then 'OPEN'
                else i.status
              end as status
         from invoice i join paid on paid.id = i.id left join erp on erp.id = i.id
     )
     update invoice i
        set balance = c.balance, status = c.status, canonical_updated_at = now(),
            version = i.version + case when i.id = any($2::uuid[]) then 0 else 1 end
       from computed c
      where i.id = c.id and (i.balance, i.status) is distinct from (c.balance, c.status)
      returning i.id, c.old_status, i.status as new_status, i.legal_entity_id, i.correlation_id`,
    [invoiceIds, writtenIds],
  );
  return rows
    .filter((r) => r.old_status !== r.new_status)
    .map((r) => ({
      invoiceId: r.id,
      oldStatus: r.old_status,
      newStatus: r.new_status,
      legalEntityId: r.legal_entity_id,
      correlationId: r.correlation_id,
    }));
}
