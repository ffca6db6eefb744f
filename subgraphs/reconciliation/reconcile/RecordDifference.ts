/** Why a record differs between two stages. */
export type DifferenceReason =
  | 'MISSING_IN_CANONICAL'
  | 'MISSING_AT_SOURCE'
  | 'MISSING_IN_ERP'
  | 'AMOUNT_DIFFERS'
  | 'CURRENCY_DIFFERS'
  | 'STATUS_DIFFERS'
  | 'LINES_DIFFER';

/** IN_SYNC: every stage agrees. PENDING: it differs, but the pipeline is still working on it. MISMATCH: it differs. */
export type ReconciliationStatus = 'IN_SYNC' | 'PENDING' | 'MISMATCH';

/** A stage of a flow: the source system, finsync's canonical store, the ERP. */
export type Stage = 'SOURCE' | 'CANONICAL' | 'ERP';

/** A record that differs, with the reason in a finance user's words. */
export interface RecordDifference {
  readonly flowId: string;
  readonly reason: DifferenceReason;
  /** The two stages that disagree. */
  readonly stages: readonly [Stage, Stage];
  readonly status: 'PENDING' | 'MISMATCH';
  readonly message: string;
  readonly sourceSystem: string;
  readonly sourceTable: string;
  readonly sourceId: string;
  readonly number: string | null;
  readonly canonicalId: string | null;
  readonly sourceValue: string | null;
  readonly canonicalValue: string | null;
  /** The ERP's value, for a difference with the ERP. */
  readonly erpValue: string | null;
  /** The open exception that explains the difference, if any. */
  readonly exceptionId: string | null;
}

/** The status of a set of differences: the worst of them. */
export function statusOf(differences: ReadonlyArray<Pick<RecordDifference, 'status'>>): ReconciliationStatus {
  if (differences.some((d) => d.status === 'MISMATCH')) return 'MISMATCH';
  return differences.length ? 'PENDING' : 'IN_SYNC';
}
