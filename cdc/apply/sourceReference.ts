import type { ObjectType } from '../../canonical-schema/model/enums';
import type { SourcePosition } from '../envelope/ChangeEvent';
import type { Db } from './Db';
import type { SourceRow } from './SourceRow';

export interface StoredReference {
  readonly canonicalId: string;
  readonly objectType: ObjectType;
  readonly lastPosition: SourcePosition | null;
}

/** The canonical object a source row became, if any, and the newest source position applied to it. */
export async function findSourceReference(
  db: Db,
  system: string,
  table: string,
  sourceId: string,
): Promise<StoredReference | null> {
  const { rows } = await db.query<{
    canonical_id: string;
    object_type: ObjectType;
    last_position: SourcePosition | null;
  }>(
    `select canonical_id, object_type, last_position from source_reference where system = $1 and source_table = $2 and source_id = $3`,
    [system, table, sourceId],
  );
  const r = rows[0];
  return r ? { canonicalId: r.canonical_id, objectType: r.object_type, lastPosition: r.last_position } : null;
}

/** Records that the row (at this position) is now reflected by the canonical object. */
export async function saveSourceReference(
  db: Db,
  row: SourceRow,
  canonicalId: string,
  operation: string,
): Promise<void> {
  await db.query(
    `insert into source_reference (system, source_table, source_id, object_type, canonical_id, last_position, last_operation, correlation_id)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (system, source_table, source_id) do update
       set canonical_id = excluded.canonical_id, last_position = excluded.last_position,
           last_operation = excluded.last_operation, updated_at = now()`,
    [
      row.system,
      row.table,
      row.sourceId,
      row.objectType,
      canonicalId,
      JSON.stringify(row.position),
      operation,
      row.correlationId,
    ],
  );
}
