import type { SourceRow } from '../SourceRow';
import type { StoredReference } from '../batchLoaders';
import type { Db } from '../../../canonical-schema/Db';
import { upsertRows, type Column } from './unnestRows';

type Reference = { readonly row: SourceRow; readonly ref: StoredReference; readonly operation: string };

const COLUMNS: readonly Column<Reference>[] = [
  { name: 'system', type: 'text', value: (r) => r.row.system },
  { name: 'source_table', type: 'text', value: (r) => r.row.table },
  { name: 'source_id', type: 'text', value: (r) => r.row.sourceId },
  { name: 'object_type', type: 'text', value: (r) => r.ref.objectType, onConflict: 'keep' },
  { name: 'canonical_id', type: 'uuid', value: (r) => r.ref.canonicalId },
  { name: 'last_position', type: 'jsonb', value: (r) => r.ref.lastPosition },
  { name: 'last_operation', type: 'text', value: (r) => r.operation },
  { name: 'correlation_id', type: 'uuid', value: (r) => r.row.correlationId, onConflict: 'keep' },
];

/** Records, in one statement, which canonical record each source row became and the newest position applied. */
export async function writeSourceReferences(db: Db, references: Iterable<Reference>): Promise<void> {
  await upsertRows(db, 'source_reference', COLUMNS, [...references], {
    conflict: 'system, source_table, source_id',
    alsoSet: ['updated_at = now()'],
  });
}
