import type { AuditStage, ObjectType } from '../../canonical-schema/model/enums';

/** One step of a record's trail: received → transformed → validated → applied / parked / rejected. */
export interface AuditEntry {
  readonly correlationId: string;
  readonly stage: AuditStage;
  readonly objectType?: ObjectType | null;
  readonly canonicalId?: string | null;
  readonly source?: { readonly system: string; readonly table: string; readonly sourceId: string } | null;
  readonly detail?: Record<string, unknown>;
}
