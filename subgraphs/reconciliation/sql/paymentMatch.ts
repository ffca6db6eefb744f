/** Invoice totals beside their settled and pending allocated payments; `$1` = invoice uuid[]. */
export const PAYMENT_MATCH_BY_INVOICE_IDS = `select i.id::text as id, i.currency, i.total_amount::text as total_amount,
    coalesce(sum(a.amount) filter (where p.status = 'SETTLED' and not p.deleted_at_source), 0)::text as paid_amount,
    (count(p.id) filter (where p.status = 'SETTLED' and not p.deleted_at_source))::int as settled_payments,
    (count(p.id) filter (where p.status = 'PENDING' and not p.deleted_at_source))::int as pending_payments
  from invoice i
  left join payment_allocation a on a.invoice_id = i.id
  left join payment p on p.id = a.payment_id
  where i.id = any($1::uuid[])
  group by i.id`;

export interface PaymentMatchRow {
  readonly id: string;
  readonly currency: string;
  readonly total_amount: string;
  readonly paid_amount: string;
  readonly settled_payments: number;
  readonly pending_payments: number;
}
