import type { Db } from '../../../canonical-schema/Db';
import type { OutboxEvent } from '../../outbox/OutboxEvent';
import { linkOfErpDocument } from './linkOfErpDocument';
import type { ErpReferenceLink } from './reflectErpInvoices';

interface PaymentFacts {
  readonly id: string;
  readonly source_id: string;
  readonly legal_entity_id: string;
  readonly status: string;
  readonly amount: string;
  readonly currency: string | null;
  readonly deleted_at_source: boolean;
  readonly posting_id: string | null;
  readonly posted_id: string | null;
  readonly posted_correlation_id: string | null;
  readonly counterparty_id: string | null;
  readonly correlation_id: string;
  readonly old_canonical_status: string | null;
  /** The canonical invoice it pays, when that invoice's payments are recorded in the ERP (see below). */
  readonly allocate_to: string | null;
  readonly invoice_canonical_id: string | null;
}

/**
 * Per ERP payment: the canonical payment its posting was made from, its party as a counterparty of the payment's
 * legal entity (a paid-out payment's vendor, a received one's customer, as for invoices), and the canonical
 * invoice it pays. That invoice takes the payment as an allocation only when its payments are recorded in the ERP
 * (a supplier invoice, or one entered in the ERP); a customer invoice's payments are billing's, so an ERP payment
 * billing does not know stays a difference for reconciliation rather than settling the invoice.
 */
const FACTS = `
  select p.id, p.source_id, p.legal_entity_id, p.status, p.amount::text, p.currency, p.deleted_at_source,
         p.posting_id, cp.id as posted_id, cp.correlation_id as posted_correlation_id,
         case when p.direction = 'OUTBOUND' then pv.id else pc.id end as counterparty_id, p.correlation_id,
         own.status as old_canonical_status, e.canonical_id as invoice_canonical_id,
         case when e.canonical_id is not null and (e.role = 'SOURCE' or e.type = 'ACCOUNTS_PAYABLE') and p.amount > 0
              then e.canonical_id end as allocate_to
    from erp_payment p
    left join payment own on own.id = p.id
    left join erp_invoice e on e.source_id = p.invoice_source_id and not e.deleted_at_source
    left join posting po on po.id = p.posting_id and po.source_document_type = 'PAYMENT'
    left join payment cp on cp.id = po.source_document_id::uuid
    left join lateral (
      select coalesce(v.merged_into_id, v.id) as id, v.tax_id, v.name
        from source_reference r join vendor v on v.id = r.canonical_id
       where r.system = 'erp' and r.source_table = 'public.party_party' and r.source_id = p.party_source_id
         and r.object_type = 'VENDOR'
    ) party on true
    left join lateral (
      select v.id from vendor v
       where v.merged_into_id is null and not v.deleted_at_source and v.legal_entity_id = p.legal_entity_id
         and (v.id = party.id or (party.tax_id is not null and v.tax_id = party.tax_id))
       order by (v.id = party.id) desc, v.id limit 1
    ) pv on true
    left join lateral (
      select c.id from customer c
       where c.legal_entity_id = p.legal_entity_id and not c.deleted_at_source
         and ((party.tax_id is not null and c.tax_id = party.tax_id) or lower(c.name) = lower(party.name))
       order by (c.tax_id is not distinct from party.tax_id) desc, c.id limit 1
    ) pc on true
   where p.id = any($1::uuid[])`;

const UPSERT_NATIVE = `
  insert into payment (id, legal_entity_id, direction, vendor_id, customer_id, payment_date, currency, total_amount,
                       reference, status, correlation_id, source_updated_at, mapping_version, deleted_at_source)
  select p.id, p.legal_entity_id, p.direction,
         case when p.direction = 'OUTBOUND' then n.counterparty_id end,
         case when p.direction = 'INBOUND' then n.counterparty_id end,
         p.payment_date, coalesce(p.currency, le.base_currency), abs(p.amount), p.description, p.status,
         p.correlation_id, p.source_updated_at, p.mapping_version, p.deleted_at_source
    from unnest($1::uuid[], $2::uuid[]) as n(id, counterparty_id)
    join erp_payment p on p.id = n.id join legal_entity le on le.id = p.legal_entity_id
  on conflict (id) do update set
    legal_entity_id = excluded.legal_entity_id, direction = excluded.direction, vendor_id = excluded.vendor_id,
    customer_id = excluded.customer_id, payment_date = excluded.payment_date, currency = excluded.currency,
    total_amount = excluded.total_amount, reference = excluded.reference, status = excluded.status,
    source_updated_at = excluded.source_updated_at, mapping_version = excluded.mapping_version,
    deleted_at_source = excluded.deleted_at_source, canonical_updated_at = now(), version = payment.version + 1`;

/** What reflecting the ERP's payments produced for the rest of the flush. */
export interface PaymentReflection {
  readonly settle: readonly string[];
  readonly links: readonly ErpReferenceLink[];
  readonly events: readonly OutboxEvent[];
}

/**
 * Links the round's ERP payments (a posted one to the payment it was posted from; one entered in the ERP to a
 * canonical payment of its own, allocated as the facts above say) and says what to settle and announce.
 */
export async function reflectErpPayments(db: Db, paymentIds: readonly string[]): Promise<PaymentReflection> {
  if (!paymentIds.length) return { settle: [], links: [], events: [] };
  const { rows } = await db.query<PaymentFacts>(FACTS, [paymentIds]);
  const links: ErpReferenceLink[] = [];
  const events: OutboxEvent[] = [];
  const settle = new Set<string>();
  const native: Array<{ f: PaymentFacts; counterpartyId: string }> = [];
  const decided: Array<{ id: string; canonicalId: string | null; role: string | null }> = [];
  for (const f of rows) {
    const link = linkOfErpDocument({
      id: f.id,
      postingId: f.posting_id,
      posted: f.posted_id ? { canonicalId: f.posted_id, correlationId: f.posted_correlation_id! } : null,
      counterpartyId: f.counterparty_id,
    });
    const base = { sourceTable: 'public.account_payment', sourceId: f.source_id } as const;
    if (link.kind === 'ERP_ONLY') {
      decided.push({ id: f.id, canonicalId: null, role: null });
      links.push({
        ...base,
        objectType: 'ERP_PAYMENT',
        canonicalId: f.id,
        role: 'SOURCE',
        correlationId: f.correlation_id,
      });
      continue;
    }
    decided.push({ id: f.id, canonicalId: link.canonicalId, role: link.kind });
    links.push({
      ...base,
      objectType: 'PAYMENT',
      canonicalId: link.canonicalId,
      role: link.kind,
      correlationId: link.kind === 'TARGET' ? link.correlationId : f.correlation_id,
    });
    if (f.invoice_canonical_id) settle.add(f.invoice_canonical_id);
    if (link.kind === 'SOURCE') native.push({ f, counterpartyId: link.counterpartyId });
    else {
      events.push({
        aggregateType: 'PAYMENT',
        aggregateId: link.canonicalId,
        correlationId: link.correlationId,
        eventType: 'PAYMENT_ERP_CHANGED',
        oldStatus: null,
        newStatus: null,
        legalEntityId: f.legal_entity_id,
        payload: { erp: { sourceId: f.source_id, status: f.status, amount: f.amount, deleted: f.deleted_at_source } },
      });
    }
  }
  await db.query(
    `update erp_payment p set canonical_id = d.canonical_id, role = d.role
       from unnest($1::uuid[], $2::uuid[], $3::text[]) as d(id, canonical_id, role) where p.id = d.id`,
    [decided.map((d) => d.id), decided.map((d) => d.canonicalId), decided.map((d) => d.role)],
  );
  if (native.length) {
    const ids = native.map((n) => n.f.id);
    await db.query(UPSERT_NATIVE, [ids, native.map((n) => n.counterpartyId)]);
    // Allocations replaced: the invoice it paid before is settled again too.
    const { rows: old } = await db.query<{ invoice_id: string }>(
      `delete from payment_allocation where payment_id = any($1::uuid[]) returning invoice_id`,
      [ids],
    );
    for (const o of old) settle.add(o.invoice_id);
    const allocated = native.filter((n) => n.f.allocate_to && !n.f.deleted_at_source);
    if (allocated.length) {
      await db.query(
        `insert into payment_allocation (payment_id, invoice_id, amount, currency)
         select a.payment_id, a.invoice_id, p.total_amount, p.currency
           from unnest($1::uuid[], $2::uuid[]) as a(payment_id, invoice_id) join payment p on p.id = a.payment_id`,
        [allocated.map((n) => n.f.id), allocated.map((n) => n.f.allocate_to)],
      );
    }
    for (const { f } of native) {
      if (f.old_canonical_status === f.status) continue;
      events.push({
        aggregateType: 'PAYMENT',
        aggregateId: f.id,
        correlationId: f.correlation_id,
        eventType: 'PAYMENT_CHANGED',
        oldStatus: f.old_canonical_status,
        newStatus: f.status,
        legalEntityId: f.legal_entity_id,
        payload: { source: { system: 'erp', table: 'public.account_payment', sourceId: f.source_id } },
      });
    }
  }
  return { settle: [...settle], links, events };
}
