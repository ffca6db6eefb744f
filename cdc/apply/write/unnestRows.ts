import type { Db } from '../../../canonical-schema/Db';

/** One column of a multi-row write: its SQL name and type, and how to read it off a row. */
export interface Column<R> {
  readonly name: string;
  /** The Postgres type the parameter array is cast to, e.g. `uuid`, `numeric`, `jsonb`. */
  readonly type: string;
  readonly value: (row: R) => unknown;
  /** On conflict: overwrite with the new value (default), keep the stored one, or add to it. */
  readonly onConflict?: 'overwrite' | 'keep' | 'add';
}

export interface UpsertOptions {
  /** The conflict target, e.g. `id` or `system, source_table, source_id`; omit for a plain insert. */
  readonly conflict?: string;
  /** Extra `col = expr` assignments on conflict, e.g. `canonical_updated_at = now()`. */
  readonly alsoSet?: readonly string[];
}

/**
 * Writes many rows in one statement: each column travels as one array parameter and `unnest` turns the
 * arrays back into rows, so a batch costs one round trip and one plan however many rows it has.
 */
export async function upsertRows<R>(
  db: Db,
  table: string,
  columns: readonly Column<R>[],
  rows: readonly R[],
  options: UpsertOptions = {},
): Promise<void> {
  if (!rows.length) return;
  const names = columns.map((c) => c.name).join(', ');
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  let sql = `insert into ${table} (${names}) select * from unnest(${arrays})`;
  if (options.conflict) {
    const sets = columns
      .filter((c) => c.onConflict !== 'keep' && !options.conflict!.split(',').some((k) => k.trim() === c.name))
      .map((c) =>
        c.onConflict === 'add'
          ? `${c.name} = ${table}.${c.name} + excluded.${c.name}`
          : `${c.name} = excluded.${c.name}`,
      );
    sql += ` on conflict (${options.conflict}) do update set ${[...sets, ...(options.alsoSet ?? [])].join(', ')}`;
  }
  await db.query(
    sql,
    columns.map((c) => rows.map((r) => encode(c.value(r), c.type))),
  );
}

/** JSON columns travel as text; everything else as node-postgres encodes it. */
function encode(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  return type === 'jsonb' ? JSON.stringify(value) : value;
}
