import type { Pool, QueryResultRow } from 'pg';
import type { Db } from '../../canonical-schema/Db';

/** What resolvers and loaders need from the canonical store: one parameterised query at a time. */
export type { Db };

/** Per-request statistics the server reports when the response is sent. */
export interface RequestStats {
  /** SQL statements sent for this request (the N+1 guard: it must not grow with the page size). */
  sqlQueries: number;
}

/** A `Db` over the pool that counts every statement into `stats`. */
export function countingDb(pool: Pool, stats: RequestStats): Db {
  return {
    query: <R extends QueryResultRow>(text: string, values?: readonly unknown[]) => {
      stats.sqlQueries += 1;
      return pool.query<R>(text, values as unknown[] | undefined);
    },
  };
}
