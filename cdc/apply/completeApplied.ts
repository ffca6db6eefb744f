import type { RowChange } from '../envelope/ChangeEvent';
import type { Db } from './Db';
import type { SourceRow } from './SourceRow';

/**
 * After a row is applied, in one statement: records its source reference (and position), removes a parked
 * copy of it, resolves its open exceptions (a later change passed every rule), and takes the parked events
 * that waited for any of `releases`. Returns those, oldest first, to be processed next.
 */
export async function completeApplied(
  db: Db,
  row: SourceRow,
  canonicalId: string,
  operation: string,
  releases: ReadonlyArray<{ type: string; key: string }>,
): Promise<RowChange[]> {
  const { rows } = await db.query<{ id: string; event: RowChange }>(
    `with ref as (
       insert into source_reference (system, source_table, source_id, object_type, canonical_id, last_position, last_operation, correlation_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (system, source_table, source_id) do update
         set canonical_id = excluded.canonical_id, last_position = excluded.last_position,
             last_operation = excluded.last_operation, updated_at = now()
     ), own_parked as (
       delete from parked_event where source_system = $1 and source_table = $2 and source_id = $3
     ), resolved as (
       update exception set status = 'RESOLVED', resolved_at = now(),
              resolution_reason = 'Corrected at source: a later change of this record passed every rule'
        where source_system = $1 and source_table = $2 and source_id = $3 and status = 'OPEN'
     )
     delete from parked_event p
      using unnest($9::text[], $10::text[]) as r(type, key)
      where p.prerequisite_type = r.type and p.prerequisite_key = r.key
     returning p.id, p.event`,
    [
      row.system,
      row.table,
      row.sourceId,
      row.objectType,
      canonicalId,
      JSON.stringify(row.position),
      operation,
      row.correlationId,
      releases.map((r) => r.type),
      releases.map((r) => r.key),
    ],
  );
  return rows.sort((a, b) => Number(a.id) - Number(b.id)).map((r) => r.event);
}
