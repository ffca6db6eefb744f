import type { QueryResult, QueryResultRow } from 'pg';

/** The one thing the apply code needs from a connection: run a parameterised query (inside the batch
 * transaction the pipeline opened). A pg `PoolClient` satisfies it. */
export interface Db {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>;
}
