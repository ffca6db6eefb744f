import type { AuditStage, ObjectType } from '../../canonical-schema/model/enums';
import type { Db } from '../apply/Db';

export interface AuditEntry {
  readonly correlationId: string;
  readonly stage: AuditStage;
  readonly objectType?: ObjectType | null;
  readonly canonicalId?: string | null;
  readonly source?: { readonly system: string; readonly table: string; readonly sourceId: string } | null;
  readonly detail?: Record<string, unknown>;
}

/** Appends one step of a record's trail: received → transformed → validated → applied / parked / rejected. */
export async function recordAudit(db: Db, e: AuditEntry): Promise<void> {
  await db.query(
    `insert into audit_event (correlation_id, stage, object_type, canonical_id, source_system, source_table, source_id, detail)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      e.correlationId,
      e.stage,
      e.objectType ?? null,
      e.canonicalId ?? null,
      e.source?.system ?? null,
      e.source?.table ?? null,
      e.source?.sourceId ?? null,
      JSON.stringify(e.detail ?? {}),
    ],
  );
}
