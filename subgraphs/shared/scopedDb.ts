import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { may } from '../../security/roles';
import type { Principal } from '../../security/Principal';
import type { Db, RequestStats } from './Db';

/** The canonical store as one principal may see it, for the length of one request. */
export interface ScopedDb extends Db {
  /** Gives the connection back (the session settings reset). Idempotent. */
  release(): Promise<void>;
}

/**
 * A request's view of the canonical store: its statements run on one connection, as role `finsync_api`, with the
 * principal's legal entities in the session (row-level security of migration 1796190000000 scopes every table to
 * them) and a statement timeout. Statements are counted into `stats` (the session set-up is not). The connection
 * is taken at the first statement and kept until `release`.
 */
export function scopedDb(pool: Pool, principal: Principal, stats: RequestStats, statementTimeoutMs: number): ScopedDb {
  let client: Promise<PoolClient> | null = null;
  let tail: Promise<unknown> = Promise.resolve();
  let released = false;
  const connect = async (): Promise<PoolClient> => {
    const c = await pool.connect();
    try {
      await c.query(
        `select set_config('role', 'finsync_api', false), set_config('finsync.legal_entities', $1, false),
                set_config('finsync.see_unscoped', $2, false), set_config('statement_timeout', $3, false)`,
        [principal.legalEntities.join(','), may(principal, 'read:unscoped') ? 'on' : 'off', String(statementTimeoutMs)],
      );
      return c;
    } catch (err) {
      c.release(err as Error);
      throw err;
    }
  };
  return {
    query: <R extends QueryResultRow>(text: string, values?: readonly unknown[]) => {
      if (released) return Promise.reject(new Error('the request is over: its database connection was given back'));
      stats.sqlQueries += 1;
      client ??= connect();
      // One statement at a time on the connection (DataLoaders dispatch several in one tick).
      const run = tail.then(async () => (await client!).query<R>(text, values as unknown[] | undefined));
      tail = run.catch(() => undefined);
      return run;
    },
    release: async () => {
      if (released) return;
      released = true;
      if (!client) return;
      const c = await client.catch(() => null);
      if (!c) return;
      await tail;
      try {
        await c.query('reset role; reset finsync.legal_entities; reset finsync.see_unscoped; reset statement_timeout');
        c.release();
      } catch (err) {
        c.release(err as Error);
      }
    },
  };
}

/** For long-lived contexts (a subscription): each statement takes a scoped connection and gives it back. */
export function scopedDbPerStatement(
  pool: Pool,
  principal: Principal,
  stats: RequestStats,
  statementTimeoutMs: number,
): Db {
  return {
    query: async <R extends QueryResultRow>(text: string, values?: readonly unknown[]) => {
      const db = scopedDb(pool, principal, stats, statementTimeoutMs);
      try {
        return await db.query<R>(text, values);
      } finally {
        await db.release();
      }
    },
  };
}
