import type { CanonicalRecord, FlowDefinition, SourceRecord } from '../flows/FlowDefinition';
import { flowOfSourceTable } from '../flows/flows';
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
  for (const r of refs) {
    const flow = flowOfSourceTable(r.system, r.source_table);
    if (!flow) continue;
    const entry = byFlow.get(flow.id) ?? { flow, canonicalIds: [], sourceIds: [] };
    entry.canonicalIds.push(r.canonical_id);
    entry.sourceIds.push(r.source_id);
    byFlow.set(flow.id, entry);
    flowOf.set(r.canonical_id, flow.id);
  }
  const differencesByCanonical = new Map<string, RecordDifference[]>();
  await Promise.all(
    [...byFlow.values()].map(async (ids) => {
      const flow = ids.flow;
      const src = flow.source.byIds(ids.sourceIds);
      const can = flow.canonical.byCanonicalIds(ids.canonicalIds);
      const [sources, canonical] = await Promise.all([
        deps.sources.query<SourceRecord>(flow.source.system, src.sql, src.values),
        deps.db.query<CanonicalRecord>(can.sql, can.values).then((r) => r.rows),
      ]);
      const why = await loadExplanations(deps, flow, sources);
      for (const d of compareRecords(flow, sources, canonical, why)) {
        if (!d.canonicalId) continue;
        differencesByCanonical.set(d.canonicalId, [...(differencesByCanonical.get(d.canonicalId) ?? []), d]);
      }
      // A canonical record whose source row is gone entirely is missing at the source.
      const seen = new Set(sources.map((s) => s.source_id));
      for (const c of canonical) {
        if (seen.has(c.source_id) || c.deleted || differencesByCanonical.has(c.canonical_id)) continue;
        differencesByCanonical.set(c.canonical_id, [
          {
            flowId: flow.id,
            reason: 'MISSING_AT_SOURCE',
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
    if (!flowId) return { status: 'NOT_APPLICABLE', flowId: null, differences: [] };
    const differences = differencesByCanonical.get(id) ?? [];
    return { status: statusOf(differences), flowId, differences };
  });
}
