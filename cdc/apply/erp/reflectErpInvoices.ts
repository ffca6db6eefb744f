import type { Db } from '../../../canonical-schema/Db';
import type { OutboxEvent } from '../../outbox/OutboxEvent';
import { linkOfErpDocument, type ErpLink } from './linkOfErpDocument';
import type { RefreshedErpInvoice } from './refreshErpInvoices';

/** How a Tryton row's source reference reads once its document is linked (`writeErpLinks`). */
export interface ErpReferenceLink {
  readonly sourceTable: 'public.account_invoice' | 'public.account_payment';
  readonly sourceId: string;
  readonly objectType: 'INVOICE' | 'PAYMENT' | 'ERP_INVOICE' | 'ERP_PAYMENT';
  readonly canonicalId: string;
  readonly role: 'SOURCE' | 'TARGET';
  readonly correlationId: string;
}

interface Facts {
  readonly id: string;
  readonly source_id: string;
  readonly posting_id: string | null;
  readonly posted_id: string | null;
  readonly posted_correlation_id: string | null;
  readonly counterparty_id: string | null;
  readonly correlation_id: string;
}

/**
 * The facts linking reads, per ERP invoice: the canonical invoice its posting was made from (when this store holds
 * the posting), and its party as a counterparty of the invoice's legal entity: for a supplier invoice the vendor
 * the party is (its golden record, or one of the entity with the same tax id), for a customer invoice the customer
 * with the party's tax id, else with its name.
 */
const FACTS = `
  select e.id, e.source_id, e.posting_id, ci.id as posted_id, ci.correlation_id as posted_correlation_id,
         case when e.type = 'ACCOUNTS_PAYABLE' then pv.id else pc.id end as counterparty_id, e.correlation_id
    from erp_invoice e
    left join posting po on po.id = e.posting_id and po.source_document_type = 'INVOICE'
    left join invoice ci on ci.id = po.source_document_id::uuid
    left join lateral (
      select coalesce(v.merged_into_id, v.id) as id, v.legal_entity_id, v.tax_id, v.name
        from source_reference r join vendor v on v.id = r.canonical_id
       where r.system = 'erp' and r.source_table = 'public.party_party' and r.source_id = e.party_source_id
         and r.object_type = 'VENDOR'
    ) party on true
    left join lateral (
      select v.id from vendor v
       where v.merged_into_id is null and not v.deleted_at_source and v.legal_entity_id = e.legal_entity_id
         and (v.id = party.id or (party.tax_id is not null and v.tax_id = party.tax_id))
       order by (v.id = party.id) desc, v.id limit 1
    ) pv on true
    left join lateral (
      select c.id from customer c
       where c.legal_entity_id = e.legal_entity_id and not c.deleted_at_source
         and ((party.tax_id is not null and c.tax_id = party.tax_id) or lower(c.name) = lower(party.name))
       order by (c.tax_id is not distinct from party.tax_id) desc, c.id limit 1
    ) pc on true
   where e.source_id = any($1::text[])`;

/**
 * Writes the canonical invoices of ERP-native documents (same id as their row on the ERP's side): header from the
 * ERP's invoice, totals as refreshed, status the ERP's (settlement keeps it: the ERP records their payments).
 */
const UPSERT_NATIVE = `
  insert into invoice (id, legal_entity_id, type, is_credit_note, number, vendor_id, customer_id, issue_date,
                       fiscal_year, currency, sub_total, total_tax_amount, total_amount, balance, status, memo,
                       correlation_id, source_updated_at, mapping_version, deleted_at_source)
  select e.id, e.legal_entity_id, e.type, e.total_amount < 0, coalesce(e.number, 'erp:' || e.source_id),
         case when e.type = 'ACCOUNTS_PAYABLE' then n.counterparty_id end,
         case when e.type = 'ACCOUNTS_RECEIVABLE' then n.counterparty_id end,
         d.issue_date, extract(year from d.issue_date)::int, e.currency, e.untaxed_amount, e.tax_amount,
         e.total_amount, e.total_amount - e.paid_amount, e.status, e.description, e.correlation_id,
         e.source_updated_at, e.mapping_version, e.deleted_at_source
    from unnest($1::uuid[], $2::uuid[]) as n(id, counterparty_id)
    join erp_invoice e on e.id = n.id
    cross join lateral (select coalesce(e.invoice_date, e.accounting_date, e.created_on, current_date) as issue_date) d
  on conflict (id) do update set
    legal_entity_id = excluded.legal_entity_id, type = excluded.type, is_credit_note = excluded.is_credit_note,
    number = excluded.number, vendor_id = excluded.vendor_id, customer_id = excluded.customer_id,
    issue_date = excluded.issue_date, fiscal_year = excluded.fiscal_year, currency = excluded.currency,
    sub_total = excluded.sub_total, total_tax_amount = excluded.total_tax_amount,
    total_amount = excluded.total_amount, status = excluded.status, memo = excluded.memo,
    source_updated_at = excluded.source_updated_at, mapping_version = excluded.mapping_version,
    deleted_at_source = excluded.deleted_at_source, canonical_updated_at = now(), version = invoice.version + 1
  returning id, (xmax = 0) as created`;

/** Their lines: the ERP's `line` lines, numbered in Tryton's order, on the canonical account of the ERP's account. */
const REPLACE_NATIVE_LINES = [
  `delete from invoice_line where invoice_id = any($1::uuid[])`,
  `insert into invoice_line (id, invoice_id, line_number, description, quantity, unit_price, total_amount, account_id)
   select l.id, e.id, row_number() over (partition by e.id order by l.sequence nulls last, l.source_id::bigint),
          l.description, coalesce(l.quantity, 1), coalesce(l.unit_price, 0), l.amount, a.canonical_id
     from erp_invoice e join erp_invoice_line l on l.invoice_source_id = e.source_id
     left join source_reference a on a.system = 'erp' and a.source_table = 'public.account_account'
      and a.source_id = l.account_source_id and a.object_type = 'ACCOUNT'
    where e.id = any($1::uuid[]) and l.line_type = 'line' and not l.deleted_at_source`,
];

/** What reflecting the ERP's invoices produced for the rest of the flush. */
export interface InvoiceReflection {
  /** Canonical invoices to settle again: their ERP side moved. */
  readonly settle: readonly string[];
  readonly links: readonly ErpReferenceLink[];
  readonly events: readonly OutboxEvent[];
}

/**
 * Links the refreshed ERP invoices to the canonical invoices they are the ERP's side of (`linkOfErpDocument`),
 * writes the canonical invoices of ERP-native ones with their lines, and says what changed: an ERP-side event for
 * a posted invoice (reconciliation recomputes on it), the status change of an ERP-native one, and the invoices to
 * settle again.
 */
export async function reflectErpInvoices(
  db: Db,
  refreshed: readonly RefreshedErpInvoice[],
): Promise<InvoiceReflection> {
  if (!refreshed.length) return { settle: [], links: [], events: [] };
  const { rows } = await db.query<Facts>(FACTS, [refreshed.map((r) => r.source_id)]);
  const facts = new Map(rows.map((f) => [f.source_id, f]));
  const links: ErpReferenceLink[] = [];
  const events: OutboxEvent[] = [];
  const settle: string[] = [];
  const native: Array<{ id: string; counterpartyId: string }> = [];
  const decided: Array<{ id: string; link: ErpLink }> = [];
  for (const r of refreshed) {
    const f = facts.get(r.source_id)!;
    const link = linkOfErpDocument({
      id: f.id,
      postingId: f.posting_id,
      posted: f.posted_id ? { canonicalId: f.posted_id, correlationId: f.posted_correlation_id! } : null,
      counterpartyId: f.counterparty_id,
    });
    decided.push({ id: r.id, link });
    const base = { sourceTable: 'public.account_invoice', sourceId: r.source_id } as const;
    if (link.kind === 'ERP_ONLY') {
      links.push({
        ...base,
        objectType: 'ERP_INVOICE',
        canonicalId: r.id,
        role: 'SOURCE',
        correlationId: f.correlation_id,
      });
      continue;
    }
    links.push({
      ...base,
      objectType: 'INVOICE',
      canonicalId: link.canonicalId,
      role: link.kind,
      correlationId: link.kind === 'TARGET' ? link.correlationId : f.correlation_id,
    });
    settle.push(link.canonicalId);
    if (link.kind === 'SOURCE') {
      native.push({ id: r.id, counterpartyId: link.counterpartyId });
      continue;
    }
    events.push({
      aggregateType: 'INVOICE',
      aggregateId: link.canonicalId,
      correlationId: link.correlationId,
      eventType: 'INVOICE_ERP_CHANGED',
      // The canonical invoice's own status did not change: settlement announces it when it does.
      oldStatus: null,
      newStatus: null,
      legalEntityId: r.legal_entity_id,
      payload: {
        erp: {
          sourceId: r.source_id,
          state: r.state,
          status: r.status,
          previousStatus: r.old_status,
          totalAmount: r.total_amount,
          currency: r.currency.trim(),
          deleted: r.deleted_at_source,
        },
      },
    });
  }
  await db.query(
    `update erp_invoice e set canonical_id = d.canonical_id, role = d.role
       from unnest($1::uuid[], $2::uuid[], $3::text[]) as d(id, canonical_id, role) where e.id = d.id`,
    [
      decided.map((d) => d.id),
      decided.map((d) => (d.link.kind === 'ERP_ONLY' ? null : d.link.canonicalId)),
      decided.map((d) => (d.link.kind === 'ERP_ONLY' ? null : d.link.kind)),
    ],
  );
  if (native.length) {
    const ids = native.map((n) => n.id);
    const { rows: written } = await db.query<{ id: string; created: boolean }>(UPSERT_NATIVE, [
      ids,
      native.map((n) => n.counterpartyId),
    ]);
    for (const q of REPLACE_NATIVE_LINES) await db.query(q, [ids]);
    const created = new Set(written.filter((w) => w.created).map((w) => w.id));
    for (const r of refreshed.filter((x) => ids.includes(x.id))) {
      if (!created.has(r.id) && r.old_status === r.status) continue;
      events.push({
        aggregateType: 'INVOICE',
        aggregateId: r.id,
        correlationId: facts.get(r.source_id)!.correlation_id,
        eventType: 'INVOICE_CHANGED',
        oldStatus: created.has(r.id) ? null : r.old_status,
        newStatus: r.status,
        legalEntityId: r.legal_entity_id,
        payload: { source: { system: 'erp', table: 'public.account_invoice', sourceId: r.source_id } },
      });
    }
  }
  return { settle, links, events };
}
