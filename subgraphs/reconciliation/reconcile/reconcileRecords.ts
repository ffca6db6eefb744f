import type { CanonicalRecord, FlowDefinition, SourceRecord } from '../flows/FlowDefinition';
import { ERP_STAGES, type ErpRecord } from '../flows/erpStages';
import { FLOWS, flowOfSourceTable } from '../flows/flows';
import { compareErp } from './compareErp';
import { compareRecords } from './compareRecords';
import { loadExplanations } from './loadExplanations';
import type { ReconcileDeps } from './reconcileFlow';
import { statusOf, type RecordDifference } from './RecordDifference';

/** One canonical record's own reconciliation. */
export interface RecordReconciliation {
  /** NOT_APPLICABLE: the record comes from a table no flow reconciles (e.g. credit memos). */
  readonly status: 'IN_SYNC' | 'PENDING' | 'MISMATCH' | 'NOT_APPLICABLE';
  readonly flowId: string | null;
  readonly differences: readonly RecordDifference[];
  /** Whether its flow has an ERP stage (AVAILABLE) or not (NOT_APPLICABLE). */
  readonly erpStatus: 'AVAILABLE' | 'NOT_APPLICABLE';
}

/**
 * Reconciles canonical records one by one against their source rows: per flow among them, one canonical statement,
 * one source statement and two explanation statements, whatever the number of records (a DataLoader batch).
 */
export async function reconcileRecords(
  deps: ReconcileDeps,
  canonicalIds: readonly string[],
): Promise<RecordReconciliation[]> {
  const { rows: refs } = await deps.db.query<{
    canonical_id: string;
    system: string;
    source_table: string;
    source_id: string;
  }>(
    `select canonical_id::text, system, source_table, source_id from source_reference
      where canonical_id = any($1::uuid[]) and role = 'SOURCE'`,
    [canonicalIds],
  );
  const byFlow = new Map<string, { flow: FlowDefinition; canonicalIds: string[]; sourceIds: string[] }>();
  const flowOf = new Map<string, string>();
  const differencesByCanonical = new Map<string, RecordDifference[]>();
  const add = (d: RecordDifference) => {
    if (!d.canonicalId) return;
    differencesByCanonical.set(d.canonicalId, [...(differencesByCanonical.get(d.canonicalId) ?? []), d]);
  };
  // Records entered in the ERP directly: their flow is the one whose source should know them.
  const native = refs.filter((r) => r.system === 'erp').map((r) => r.canonical_id);
  for (const r of await erpNativeRecords(deps.db, native)) {
    const flow = FLOWS.find((f) => f.id === r.flow_id)!;
    flowOf.set(r.canonical_id!, flow.id);
    for (const d of compareErp(flow, [], { status: 'AVAILABLE', records: [r], postings: [] }, deps.graceSeconds))
      add(d);
  }
  for (const r of refs) {
    const flow = flowOfSourceTable(r.system, r.source_table);
    if (!flow) continue;
    const entry = byFlow.get(flow.id) ?? { flow, canonicalIds: [], sourceIds: [] };
    entry.canonicalIds.push(r.canonical_id);
    entry.sourceIds.push(r.source_id);
    byFlow.set(flow.id, entry);
    flowOf.set(r.canonical_id, flow.id);
  }
  await Promise.all(
    [...byFlow.values()].map(async (ids) => {
      const flow = ids.flow;
      const src = flow.source.byIds(ids.sourceIds);
      const can = flow.canonical.byCanonicalIds(ids.canonicalIds);
      const reader = ERP_STAGES[flow.id];
      const [sources, canonical, erp] = await Promise.all([
        deps.sources.query<SourceRecord>(flow.source.system, src.sql, src.values),
        deps.db.query<CanonicalRecord>(can.sql, can.values).then((r) => r.rows),
        reader?.forRecords(deps.db, ids.canonicalIds),
      ]);
      const why = await loadExplanations(deps, flow, sources);
      for (const d of compareRecords(flow, sources, canonical, why)) add(d);
      if (erp?.status === 'AVAILABLE') for (const d of compareErp(flow, canonical, erp, deps.graceSeconds)) add(d);
      // A canonical record whose source row is gone entirely is missing at the source.
      const seen = new Set(sources.map((s) => s.source_id));
      for (const c of canonical) {
        if (seen.has(c.source_id) || c.deleted || differencesByCanonical.has(c.canonical_id)) continue;
        differencesByCanonical.set(c.canonical_id, [
          {
            flowId: flow.id,
            reason: 'MISSING_AT_SOURCE',
            stages: ['SOURCE', 'CANONICAL'],
            erpValue: null,
            status: 'MISMATCH',
            message: `${c.number ?? c.source_id} (${flow.source.system} ${flow.source.table} ${c.source_id}) is in the canonical store but no longer at the source.`,
            sourceSystem: flow.source.system,
            sourceTable: flow.source.table,
            sourceId: c.source_id,
            number: c.number,
            canonicalId: c.canonical_id,
            sourceValue: null,
            canonicalValue: c.amount,
            exceptionId: null,
          },
        ]);
      }
    }),
  );
  return canonicalIds.map((id) => {
    const flowId = flowOf.get(id) ?? null;
    if (!flowId) return { status: 'NOT_APPLICABLE', flowId: null, differences: [], erpStatus: 'NOT_APPLICABLE' };
    const differences = differencesByCanonical.get(id) ?? [];
    return {
      status: statusOf(differences),
      flowId,
      differences,
      erpStatus: ERP_STAGES[flowId] && !ERP_STAGES[flowId].notApplicable ? 'AVAILABLE' : 'NOT_APPLICABLE',
    };
  });
}

/** The ERP-native ones among these records (canonical records of system erp), with the flow they belong to. */
async function erpNativeRecords(
  db: ReconcileDeps['db'],
  ids: readonly string[],
): Promise<Array<ErpRecord & { readonly flow_id: string }>> {
  if (!ids.length) return [];
  const { rows } = await db.query<ErpRecord & { flow_id: string | null }>(
    `select * from (
       select e.canonical_id::text, e.role, e.source_id, 'public.account_invoice' as source_table,
              coalesce(e.number, e.reference) as number, trim(e.currency) as currency, e.total_amount::text as amount,
              e.status, e.state, e.deleted_at_source as deleted, false as foreign,
              case e.type when 'ACCOUNTS_RECEIVABLE' then 'BILLING_INVOICES' else 'PROCUREMENT_SUPPLIER_INVOICES' end as flow_id
         from erp_invoice e where e.canonical_id = any($1::uuid[]) and e.role = 'SOURCE'
       union all
       select p.canonical_id::text, p.role, p.source_id, 'public.account_payment', p.description, trim(coalesce(p.currency, '')),
              p.amount::text, p.status, p.state, p.deleted_at_source, false,
              case p.direction when 'INBOUND' then 'BILLING_PAYMENTS' end
         from erp_payment p where p.canonical_id = any($1::uuid[]) and p.role = 'SOURCE'
     ) x where flow_id is not null`,
    [ids],
  );
  return rows as Array<ErpRecord & { flow_id: string }>;
}
