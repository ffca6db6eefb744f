import type { Db } from './Db';

/**
 * Recomputes an invoice's open balance from its settled payment allocations, and its status from that:
 * an open invoice with some payment is PARTIALLY_PAID, fully covered is PAID (a negative balance means
 * overpaid). DRAFT, SUBMITTED and VOID invoices keep the status their source gave them.
 * Returns the status before and after.
 */
export async function settleInvoice(
  db: Db,
  invoiceId: string,
): Promise<{ oldStatus: string; newStatus: string; legalEntityId: string; correlationId: string } | null> {
  const { rows } = await db.query<{
    old_status: string;
    new_status: string;
    legal_entity_id: string;
    correlation_id: string;
  }>(
    `with paid as (
       select coalesce(sum(a.amount), 0) as amount
         from payment_allocation a join payment p on p.id = a.payment_id
        where a.invoice_id = $1 and p.status = 'SETTLED' and not p.deleted_at_source
     ), before as (select status from invoice where id = $1)
     update invoice i
        set balance = i.total_amount - paid.amount,
            status = case
              when i.status in ('DRAFT', 'SUBMITTED', 'VOID') then i.status
              when paid.amount >= i.total_amount and i.total_amount > 0 then 'PAID'
              when paid.amount > 0 then 'PARTIALLY_PAID'
              when i.status in ('PAID', 'PARTIALLY_PAID') then 'OPEN'
              else i.status end
       from paid, before
      where i.id = $1
      returning before.status as old_status, i.status as new_status, i.legal_entity_id, i.correlation_id`,
    [invoiceId],
  );
  const r = rows[0];
  return r
    ? {
        oldStatus: r.old_status,
        newStatus: r.new_status,
        legalEntityId: r.legal_entity_id,
        correlationId: r.correlation_id,
      }
    : null;
}
