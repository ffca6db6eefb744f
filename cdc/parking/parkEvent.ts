import type { Db } from '../apply/Db';
import type { RowChange } from '../envelope/ChangeEvent';
import type { SourceRow } from '../apply/SourceRow';

/** What a parked event waits for: a canonical object of a type, identified by a key. */
export interface Prerequisite {
  /** 'VENDOR', 'INVOICE', … or 'VENDOR_ACTIVE' (a vendor leaving PENDING). */
  readonly type: string;
  /** `<system>/<table>/<source id>` of the awaited source row, or a canonical id. */
  readonly key: string;
  /** A sentence for the audit trail: why it waits. */
  readonly reason: string;
}

export const prerequisiteKey = (system: string, table: string, sourceId: string): string =>
  `${system}/${table}/${sourceId}`;

/** Parks the change until the prerequisite is applied. A newer change of the same row replaces it. */
export async function parkEvent(db: Db, row: SourceRow, event: RowChange, p: Prerequisite): Promise<void> {
  await db.query(
    `insert into parked_event (prerequisite_type, prerequisite_key, reason, correlation_id, source_system, source_table, source_id, event)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (source_system, source_table, source_id)
     do update set prerequisite_type = excluded.prerequisite_type, prerequisite_key = excluded.prerequisite_key,
                   reason = excluded.reason, event = excluded.event, parked_at = now()`,
    [p.type, p.key, p.reason, row.correlationId, row.system, row.table, row.sourceId, JSON.stringify(event)],
  );
}

/** Removes a parked change of this row (it was applied or rejected by a newer change). */
export async function unparkRow(db: Db, row: { system: string; table: string; sourceId: string }): Promise<void> {
  await db.query(`delete from parked_event where source_system = $1 and source_table = $2 and source_id = $3`, [
    row.system,
    row.table,
    row.sourceId,
  ]);
}
