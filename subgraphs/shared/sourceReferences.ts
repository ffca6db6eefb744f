import type DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { groupLoader } from './batchLoaders';
import type { Db } from './Db';

export interface SourceReferenceRow {
  readonly canonical_id: string;
  readonly system: string;
  readonly source_table: string;
  readonly source_id: string;
  readonly role: string;
}

/** The source references of canonical records, by canonical id (one statement per batch). */
export function sourceReferenceLoader(db: Db): DataLoader<string, SourceReferenceRow[]> {
  return groupLoader<SourceReferenceRow>(
    db,
    `select canonical_id::text, system, source_table, source_id, role from source_reference
      where canonical_id = any($1::uuid[]) order by role, system, source_table, source_id`,
    (r) => r.canonical_id,
  );
}

/** GraphQL's `SourceReference` from a row. */
export const toSourceReference = (r: SourceReferenceRow) => ({
  system: r.system,
  sourceTable: r.source_table,
  sourceId: r.source_id,
  role: r.role,
});

/**
 * The canonical id built from a source row: lookup by source reference (system + source id, optionally the
 * table). Two tables of one system can reuse an id, so without a table the object type decides; if that is
 * still ambiguous, the client is told to name the table.
 */
export async function canonicalIdBySource(
  db: Db,
  objectType: string,
  ref: { readonly system: string; readonly sourceId: string; readonly sourceTable?: string | null },
): Promise<string | null> {
  const { rows } = await db.query<{ canonical_id: string }>(
    `select canonical_id::text from source_reference
      where system = $1 and source_id = $2 and object_type = $3 and ($4::text is null or source_table = $4)`,
    [ref.system, ref.sourceId, objectType, ref.sourceTable ?? null],
  );
  if (rows.length > 1) {
    throw new GraphQLError(
      `${ref.system} source id ${ref.sourceId} names ${rows.length} records; give sourceTable to choose one`,
      { extensions: { code: 'BAD_USER_INPUT', argumentName: 'sourceTable' } },
    );
  }
  return rows[0]?.canonical_id ?? null;
}
