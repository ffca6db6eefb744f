import type { FlowDefinitionFile } from '../../../flows/definitions/FlowDefinitionSchema';
import { FLOW_DEFINITIONS } from '../../../flows/registry';
import type { FlowDefinition } from './FlowDefinition';
import { likePrefix } from './likePrefix';

/** Canonical side of a document flow: the records built from one source table, with their control columns. */
const canonicalInvoices = (system: string, table: string) => ({
  select: `select r.source_id, i.id::text as canonical_id, i.number, i.currency, i.total_amount::text as amount,
      i.status, i.deleted_at_source as deleted,
      (select count(*)::int from invoice_line l where l.invoice_id = i.id) as line_count,
      (select coalesce(sum(l.total_amount), 0)::text from invoice_line l where l.invoice_id = i.id) as line_total
    from invoice i join source_reference r on r.canonical_id = i.id and r.object_type = 'INVOICE'
      and r.system = '${system}' and r.source_table = '${table}'`,
});

const billingInvoices = canonicalInvoices('billing', 'billing.invoice');
const supplierInvoices = canonicalInvoices('procurement', 'public.supplier_invoice');

const BILLING_INVOICE_SELECT = `select cast(i.id as char) as source_id, i.number, i.currency, cast(i.total as char) as amount,
    i.status, timestampdiff(second, i.updated_at, now(6)) as age_seconds,
    (select count(*) from invoice_line l where l.invoice_id = i.id) as line_count,
    (select cast(coalesce(sum(l.amount), 0) as char) from invoice_line l where l.invoice_id = i.id) as line_total,
    (select group_concat(l.id) from invoice_line l where l.invoice_id = i.id) as line_ids
  from invoice i`;

const SUPPLIER_INVOICE_SELECT = `select s.id::text as source_id, s.number, s.currency, s.amount::text as amount, s.status,
    extract(epoch from localtimestamp - s.updated_at)::int as age_seconds,
    (select count(*)::int from supplier_invoice_line l where l.supplier_invoice_id = s.id) as line_count,
    (select coalesce(sum(l.amount), 0)::text from supplier_invoice_line l where l.supplier_invoice_id = s.id) as line_total,
    (select string_agg(l.id::text, ',') from supplier_invoice_line l where l.supplier_invoice_id = s.id) as line_ids
  from supplier_invoice s`;

const PAYROLL_SELECT = `select p.run_code as source_id, p.run_code as number, p.currency,
    (select coalesce(sum((l->>'debit')::numeric), 0) from jsonb_array_elements(p.lines) l)::text as amount, p.status,
    extract(epoch from localtimestamp - p.updated_at)::int as age_seconds, jsonb_array_length(p.lines) as line_count
  from payroll_journal p`;

const CANONICAL_JOURNALS = `select r.source_id, j.id::text as canonical_id, j.number,
    (select min(l.currency) from journal_line l where l.journal_entry_id = j.id) as currency,
    (select coalesce(sum(l.debit), 0)::text from journal_line l where l.journal_entry_id = j.id) as amount,
    j.posting_status as status, j.deleted_at_source as deleted,
    (select count(*)::int from journal_line l where l.journal_entry_id = j.id) as line_count
  from journal_entry j join source_reference r on r.canonical_id = j.id and r.object_type = 'JOURNAL_ENTRY'
    and r.system = 'payroll' and r.source_table = 'public.payroll_journal'`;

const CANONICAL_PAYMENTS = `select r.source_id, p.id::text as canonical_id, p.reference as number, p.currency,
    p.total_amount::text as amount, p.status, p.deleted_at_source as deleted
  from payment p join source_reference r on r.canonical_id = p.id and r.object_type = 'PAYMENT'
    and r.system = 'billing' and r.source_table = 'billing.payment'`;

const SUPPLIER_SELECT = `select s.supplier_code as source_id, s.supplier_code as number, s.currency, null::text as amount,
    s.onboarding_status as status, extract(epoch from localtimestamp - s.updated_at)::int as age_seconds
  from supplier s`;

const CANONICAL_VENDORS = `select r.source_id, v.id::text as canonical_id, r.source_id as number, v.currency, null::text as amount,
    v.status, v.deleted_at_source as deleted
  from vendor v join source_reference r on r.canonical_id = v.id and r.object_type = 'VENDOR'
    and r.system = 'procurement' and r.source_table = 'public.supplier'`;

/** How a flow's records are read at the source and canonical stages: code, named by the flow definition's id. */
interface FlowQueries {
  readonly source: Pick<FlowDefinition['source'], 'inScope' | 'byIds'>;
  readonly canonical: FlowDefinition['canonical'];
}

const QUERIES: Readonly<Record<string, FlowQueries>> = {
  BILLING_INVOICES: {
    source: {
      inScope: (s) => ({
        sql: `${BILLING_INVOICE_SELECT} where i.legal_entity = ? and i.issue_date between ? and ? and i.number like ?`,
        values: [s.legalEntityId, s.from, s.to, likePrefix(s.numberPrefix)],
      }),
      byIds: (ids) => ({ sql: `${BILLING_INVOICE_SELECT} where i.id in (?)`, values: [ids.map(Number)] }),
    },
    canonical: {
      inScope: (s) => ({
        sql: `${billingInvoices.select} where i.legal_entity_id = $1 and i.issue_date between $2 and $3 and i.number like $4`,
        values: [s.legalEntityId, s.from, s.to, likePrefix(s.numberPrefix)],
      }),
      byCanonicalIds: (ids) => ({ sql: `${billingInvoices.select} where i.id = any($1::uuid[])`, values: [ids] }),
    },
  },
  BILLING_PAYMENTS: {
    source: {
      inScope: (s) => ({
        sql: `select cast(p.id as char) as source_id, p.reference as number, p.currency, cast(p.amount as char) as amount,
                p.status, timestampdiff(second, p.updated_at, now(6)) as age_seconds
                from payment p where p.legal_entity = ? and p.paid_at between ? and ? and coalesce(p.reference, '') like ?`,
        values: [s.legalEntityId, s.from, s.to, likePrefix(s.numberPrefix)],
      }),
      byIds: (ids) => ({
        sql: `select cast(p.id as char) as source_id, p.reference as number, p.currency, cast(p.amount as char) as amount,
                p.status, timestampdiff(second, p.updated_at, now(6)) as age_seconds from payment p where p.id in (?)`,
        values: [ids.map(Number)],
      }),
    },
    canonical: {
      inScope: (s) => ({
        sql: `${CANONICAL_PAYMENTS} where p.legal_entity_id = $1 and p.payment_date between $2 and $3
                and coalesce(p.reference, '') like $4`,
        values: [s.legalEntityId, s.from, s.to, likePrefix(s.numberPrefix)],
      }),
      byCanonicalIds: (ids) => ({ sql: `${CANONICAL_PAYMENTS} where p.id = any($1::uuid[])`, values: [ids] }),
    },
  },
  PROCUREMENT_SUPPLIER_INVOICES: {
    source: {
      inScope: (s) => ({
        sql: `${SUPPLIER_INVOICE_SELECT} where s.legal_entity = $1 and s.invoice_date between $2 and $3 and s.number like $4`,
        values: [s.legalEntityId, s.from, s.to, likePrefix(s.numberPrefix)],
      }),
      byIds: (ids) => ({ sql: `${SUPPLIER_INVOICE_SELECT} where s.id = any($1::bigint[])`, values: [ids] }),
    },
    canonical: {
      inScope: (s) => ({
        sql: `${supplierInvoices.select} where i.legal_entity_id = $1 and i.issue_date between $2 and $3 and i.number like $4`,
        values: [s.legalEntityId, s.from, s.to, likePrefix(s.numberPrefix)],
      }),
      byCanonicalIds: (ids) => ({ sql: `${supplierInvoices.select} where i.id = any($1::uuid[])`, values: [ids] }),
    },
  },
  PAYROLL_JOURNALS: {
    source: {
      inScope: (s) => ({
        sql: `${PAYROLL_SELECT} where p.legal_entity = $1 and p.period_end between $2 and $3 and p.run_code like $4`,
        values: [s.legalEntityId, s.from, s.to, likePrefix(s.numberPrefix)],
      }),
      byIds: (ids) => ({ sql: `${PAYROLL_SELECT} where p.run_code = any($1::text[])`, values: [ids] }),
    },
    canonical: {
      inScope: (s) => ({
        sql: `${CANONICAL_JOURNALS} where j.legal_entity_id = $1 and j.transaction_date between $2 and $3 and j.number like $4`,
        values: [s.legalEntityId, s.from, s.to, likePrefix(s.numberPrefix)],
      }),
      byCanonicalIds: (ids) => ({ sql: `${CANONICAL_JOURNALS} where j.id = any($1::uuid[])`, values: [ids] }),
    },
  },
  PROCUREMENT_SUPPLIERS: {
    source: {
      inScope: (s) => ({
        sql: `${SUPPLIER_SELECT} where s.legal_entity = $1 and s.supplier_code like $2`,
        values: [s.legalEntityId, likePrefix(s.numberPrefix)],
      }),
      byIds: (ids) => ({ sql: `${SUPPLIER_SELECT} where s.supplier_code = any($1::text[])`, values: [ids] }),
    },
    canonical: {
      inScope: (s) => ({
        sql: `${CANONICAL_VENDORS} where v.legal_entity_id = $1 and r.source_id like $2`,
        values: [s.legalEntityId, likePrefix(s.numberPrefix)],
      }),
      byCanonicalIds: (ids) => ({ sql: `${CANONICAL_VENDORS} where v.id = any($1::uuid[])`, values: [ids] }),
    },
  },
};

/**
 * The reconciliation flows: the flow definitions (flows/definitions/*.json, the same the routing reads) with their
 * queries. A definition without queries here, or queries without a definition, is a programming error: thrown at load.
 */
export function reconciliationFlows(
  definitions: readonly FlowDefinitionFile[],
  queries: Readonly<Record<string, FlowQueries>> = QUERIES,
): FlowDefinition[] {
  const missing = definitions.filter((d) => !queries[d.id]).map((d) => d.id);
  const orphans = Object.keys(queries).filter((id) => !definitions.some((d) => d.id === id));
  if (missing.length || orphans.length) {
    throw new Error(
      `reconciliation queries and flow definitions differ: ${[
        ...missing.map((id) => `${id} has no queries`),
        ...orphans.map((id) => `${id} has queries but no definition`),
      ].join('; ')}`,
    );
  }
  return definitions.map((d) => ({
    id: d.id,
    version: d.version,
    name: d.name,
    description: d.description,
    objectType: d.trigger.objectType,
    periodic: d.periodic,
    source: {
      system: d.trigger.source.system,
      table: d.trigger.source.table,
      childTables: d.trigger.source.childTables,
      ...queries[d.id]!.source,
    },
    canonical: queries[d.id]!.canonical,
    statusMap: d.reconciliation.statusMap,
    comparesLines: d.reconciliation.comparesLines,
  }));
}

const FLOW_TABLE = reconciliationFlows(FLOW_DEFINITIONS);

export const FLOWS: readonly FlowDefinition[] = Object.freeze(FLOW_TABLE);

/** The flow of a canonical record: built from this source table. */
export const flowOfSourceTable = (system: string, table: string): FlowDefinition | undefined =>
  FLOWS.find((f) => f.source.system === system && f.source.table === table);
