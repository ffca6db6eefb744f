import DataLoader from 'dataloader';
import type { QueryResultRow } from 'pg';
import type { Db } from './Db';

/**
 * A DataLoader whose batch runs `sql` once with `$1` = the distinct keys (`= any($1)`), and answers each key with
 * its row (or null), in the order the keys were asked.
 */
export function rowLoader<R extends QueryResultRow>(
  db: Db,
  sql: string,
  keyOf: (row: R) => string,
): DataLoader<string, R | null> {
  return new DataLoader(async (keys) => {
    const { rows } = await db.query<R>(sql, [keys]);
    const byKey = new Map(rows.map((r) => [keyOf(r), r]));
    return keys.map((k) => byKey.get(k) ?? null);
  });
}

/** Like `rowLoader`, for one-to-many: each key gets the list of its rows, in the order the SQL returned them. */
export function groupLoader<R extends QueryResultRow>(
  db: Db,
  sql: string,
  keyOf: (row: R) => string,
): DataLoader<string, R[]> {
  return new DataLoader(async (keys) => {
    const { rows } = await db.query<R>(sql, [keys]);
    const byKey = new Map<string, R[]>();
    for (const r of rows) {
      const k = keyOf(r);
      const list = byKey.get(k);
      if (list) list.push(r);
      else byKey.set(k, [r]);
    }
    return keys.map((k) => byKey.get(k) ?? []);
  });
}
