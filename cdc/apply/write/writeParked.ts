import type { RowChange } from '../../envelope/ChangeEvent';
import type { Prerequisite } from '../../parking/Prerequisite';
import type { Db } from '../../../canonical-schema/Db';
import type { SourceRow } from '../SourceRow';
import type { ParkedChange } from '../UnitOfWork';
import { upsertRows, type Column } from './unnestRows';

type Park = { readonly row: SourceRow; readonly event: RowChange; readonly prerequisite: Prerequisite };

const COLUMNS: readonly Column<Park>[] = [
  { name: 'prerequisite_type', type: 'text', value: (p) => p.prerequisite.type },
  { name: 'prerequisite_key', type: 'text', value: (p) => p.prerequisite.key },
  { name: 'reason', type: 'text', value: (p) => p.prerequisite.reason },
  { name: 'correlation_id', type: 'uuid', value: (p) => p.row.correlationId },
  { name: 'source_system', type: 'text', value: (p) => p.row.system },
  { name: 'source_table', type: 'text', value: (p) => p.row.table },
  { name: 'source_id', type: 'text', value: (p) => p.row.sourceId },
  { name: 'event', type: 'jsonb', value: (p) => p.event },
  { name: 'document_amount', type: 'numeric', value: (p) => p.prerequisite.document?.amount ?? null },
  { name: 'document_currency', type: 'text', value: (p) => p.prerequisite.document?.currency ?? null },
  { name: 'legal_entity_id', type: 'text', value: (p) => p.prerequisite.legalEntityId ?? null },
];

/**
 * Takes the rows that applied (or were superseded) out of the parking lot and parks the changes that wait,
 * one statement each; a newer parked change of a row replaces the older one.
 */
export async function writeParked(db: Db, parked: Iterable<ParkedChange>): Promise<void> {
  const unpark: SourceRow[] = [];
  const park: Park[] = [];
  for (const p of parked) {
    if (p.kind === 'unpark') unpark.push(p.row);
    else park.push(p);
  }
  if (unpark.length) {
    await db.query(
      `delete from parked_event p using unnest($1::text[], $2::text[], $3::text[]) as r(s, t, i)
        where p.source_system = r.s and p.source_table = r.t and p.source_id = r.i`,
      [unpark.map((r) => r.system), unpark.map((r) => r.table), unpark.map((r) => r.sourceId)],
    );
  }
  await upsertRows(db, 'parked_event', COLUMNS, park, {
    conflict: 'source_system, source_table, source_id',
    alsoSet: ['parked_at = now()'],
  });
}
