import type { Db } from '../../../canonical-schema/Db';

/**
 * Resolves what the round's ERP payments pay — the invoice whose move holds the line each names (line →
 * its canonical journal line → the move → the invoice of that move) — and their currency (that invoice's, else the
 * company's, which is a payment journal's in Tryton 6.0's eyes). One statement; returns the invoices (Tryton ids)
 * the payments now name.
 */
export async function resolveErpPayments(db: Db, paymentIds: readonly string[]): Promise<string[]> {
  if (!paymentIds.length) return [];
  const { rows } = await db.query<{ invoice_source_id: string | null }>(
    `with target as (select unnest($1::uuid[]) as id),
     paid_line as (
       select p.id, e.source_id as invoice_source_id, e.currency
         from erp_payment p join target t on t.id = p.id
         join source_reference lr on lr.system = 'erp' and lr.source_table = 'public.account_move_line'
          and lr.source_id = p.line_source_id
         join journal_line jl on jl.id = lr.canonical_id
         join source_reference mr on mr.system = 'erp' and mr.source_table = 'public.account_move'
          and mr.canonical_id = jl.journal_entry_id
         join erp_invoice e on e.move_source_id = mr.source_id
     )
     update erp_payment p
        set invoice_source_id = pl.invoice_source_id, currency = coalesce(pl.currency, le.base_currency)
       from target t
       join erp_payment x on x.id = t.id
       join legal_entity le on le.id = x.legal_entity_id
       left join paid_line pl on pl.id = t.id
      where p.id = t.id
      returning p.invoice_source_id`,
    [paymentIds],
  );
  return rows.flatMap((r) => (r.invoice_source_id ? [r.invoice_source_id] : []));
}

/** An ERP invoice after its totals and status were brought up to date. */
export interface RefreshedErpInvoice {
  readonly id: string;
  readonly source_id: string;
  readonly legal_entity_id: string;
  readonly type: 'ACCOUNTS_PAYABLE' | 'ACCOUNTS_RECEIVABLE';
  readonly state: string;
  readonly old_status: string;
  readonly status: string;
  readonly currency: string;
  readonly total_amount: string;
  readonly deleted_at_source: boolean;
}

/**
 * Brings the ERP invoices' derived columns up to date, as Tryton's function fields compute them: the untaxed amount
 * (its `line` lines), the taxes (account_invoice_tax), the total; the amount its succeeded ERP payments pay; and the
 * status: Tryton keeps an invoice `posted` until it is paid in full (its lines reconciled, then `paid`), so a
 * posted invoice's payments say whether it is OPEN, PARTIALLY_PAID or PAID; other states keep what the mapping
 * rule made of them. One statement.
 */
export async function refreshErpInvoices(db: Db, sourceIds: readonly string[]): Promise<RefreshedErpInvoice[]> {
  if (!sourceIds.length) return [];
  const { rows } = await db.query<RefreshedErpInvoice>(
    `with target as (select distinct unnest($1::text[]) as source_id),
     old as (select e.id, e.status from erp_invoice e join target t on t.source_id = e.source_id),
     lines as (
       select l.invoice_source_id, sum(l.amount) filter (where l.line_type = 'line') as untaxed,
              count(*) filter (where l.line_type = 'line') as n
         from erp_invoice_line l join target t on t.source_id = l.invoice_source_id
        where not l.deleted_at_source group by l.invoice_source_id
     ),
     taxes as (
       select x.invoice_source_id, sum(x.amount) as tax
         from erp_invoice_tax x join target t on t.source_id = x.invoice_source_id
        where not x.deleted_at_source group by x.invoice_source_id
     ),
     paid as (
       select p.invoice_source_id, sum(p.amount) as paid
         from erp_payment p join target t on t.source_id = p.invoice_source_id
        where p.status = 'SETTLED' and not p.deleted_at_source group by p.invoice_source_id
     ),
     computed as (
       select t.source_id, coalesce(lines.untaxed, 0) as untaxed, coalesce(taxes.tax, 0) as tax,
              coalesce(lines.untaxed, 0) + coalesce(taxes.tax, 0) as total, coalesce(paid.paid, 0) as paid,
              coalesce(lines.n, 0) as n
         from target t left join lines on lines.invoice_source_id = t.source_id
         left join taxes on taxes.invoice_source_id = t.source_id
         left join paid on paid.invoice_source_id = t.source_id
     )
     update erp_invoice e
        set untaxed_amount = c.untaxed, tax_amount = c.tax, total_amount = c.total, paid_amount = c.paid,
            line_count = c.n, updated_at = now(),
            status = case
              when e.state <> 'posted' then e.status
              when c.paid > 0 and c.paid >= c.total then 'PAID'
              when c.paid > 0 then 'PARTIALLY_PAID'
              else 'OPEN'
            end
       from computed c join old on true
      where e.source_id = c.source_id and old.id = e.id
      returning e.id, e.source_id, e.legal_entity_id, e.type, e.state, old.status as old_status, e.status,
                e.currency, e.total_amount::text, e.deleted_at_source`,
    [sourceIds],
  );
  return rows;
}
