import { Decimal } from '../../../canonical-schema/money/Decimal';
import type { Db } from '../../shared/Db';
import { money, type Money } from '../../shared/money';
import { ERP_STAGES, type ErpStage } from '../flows/erpStages';
import type { CanonicalRecord, FlowDefinition, FlowScope, SourceRecord } from '../flows/FlowDefinition';
import type { SourceDatabases } from '../sources/SourceDatabases';
import { compareErp } from './compareErp';
import { compareRecords, type Explanations } from './compareRecords';
import { loadExplanations } from './loadExplanations';
import { statusOf, type RecordDifference, type ReconciliationStatus } from './RecordDifference';

/** What one stage holds: a count and control totals per currency, or why it has none. */
export interface StageControl {
  readonly stage: 'SOURCE' | 'CANONICAL' | 'ERP';
  readonly status: 'AVAILABLE' | 'NOT_APPLICABLE' | 'PENDING';
  readonly note: string | null;
  readonly count: number | null;
  readonly totals: ReadonlyArray<{ currency: string; count: number; sum: Money }>;
}

/** One flow's reconciliation for a legal entity and period. */
export interface FlowReconciliation {
  readonly flow: FlowDefinition;
  readonly legalEntityId: string;
  readonly period: string | null;
  readonly scope: FlowScope;
  readonly status: ReconciliationStatus;
  readonly stages: readonly StageControl[];
  readonly differences: readonly RecordDifference[];
  readonly checkedAt: string;
}

/** What reconciliation reads from. */
export interface ReconcileDeps {
  readonly db: Db;
  readonly sources: SourceDatabases;
  readonly graceSeconds: number;
}

function control(
  stage: StageControl['stage'],
  rows: ReadonlyArray<{ currency: string | null; amount: string | null }>,
): StageControl {
  const by = new Map<string, { count: number; sum: Decimal }>();
  for (const r of rows) {
    const cur = (r.currency ?? '').trim();
    const t = by.get(cur) ?? { count: 0, sum: new Decimal(0) };
    t.count += 1;
    if (r.amount !== null) t.sum = t.sum.plus(r.amount);
    by.set(cur, t);
  }
  const totals = [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, t]) => ({ currency, count: t.count, sum: money(t.sum.toFixed(), currency) }));
  return { stage, status: 'AVAILABLE', note: null, count: rows.length, totals };
}

/**
 * Reconciles one flow for a scope: the source stage (read-only, from the source database), the canonical stage
 * (what finsync holds, deleted-at-source records left out) and the ERP stage (Tryton's documents as captured, per
 * flow in flows/erpStages.ts), with every differing record and the reason — source against canonical
 * (compareRecords), canonical against the ERP (compareErp); the status is the worst record status (IN_SYNC when
 * none differs).
 */
export async function reconcileFlow(
  deps: ReconcileDeps,
  flow: FlowDefinition,
  scope: FlowScope,
  period: string | null,
): Promise<FlowReconciliation> {
  const src = flow.source.inScope(scope);
  const can = flow.canonical.inScope(scope);
  const [sources, canonical] = await Promise.all([
    deps.sources.query<SourceRecord>(flow.source.system, src.sql, src.values),
    deps.db.query<CanonicalRecord>(can.sql, can.values).then((r) => r.rows),
  ]);
  const reader = ERP_STAGES[flow.id];
  const erp: ErpStage = reader
    ? await reader.forScope(
        deps.db,
        scope,
        canonical.map((c) => c.canonical_id),
      )
    : { status: 'NOT_APPLICABLE', note: 'No ERP stage defined.' };
  const why: Explanations = await loadExplanations(deps, flow, sources);
  const differences = [
    ...compareRecords(flow, sources, canonical, why),
    ...(erp.status === 'AVAILABLE' ? compareErp(flow, canonical, erp, deps.graceSeconds) : []),
  ];
  const erpStage: StageControl =
    erp.status === 'AVAILABLE'
      ? control(
          'ERP',
          erp.records.filter((r) => !r.deleted),
        )
      : { stage: 'ERP', status: erp.status, note: erp.note, count: null, totals: [] };
  return {
    flow,
    legalEntityId: scope.legalEntityId,
    period: flow.periodic ? period : null,
    scope,
    status: statusOf(differences),
    stages: [
      control('SOURCE', sources),
      control(
        'CANONICAL',
        canonical.filter((c) => !c.deleted),
      ),
      erpStage,
    ],
    differences,
    checkedAt: new Date().toISOString(),
  };
}
