/**
 * Scratch databases on the stack's PostgreSQL for one benchmark pass (as `test/support/scratchDatabase.ts` does
 * for tests): `finsync_bench_<purpose>_<pid>_<time>`, dropped by the pass. A crashed run's leftovers are
 * dropped by the next run, and only when the process named in them is gone.
 */
import { Client } from 'pg';

export const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const PREFIX = 'finsync_bench_';

export interface ScratchDb {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

let counter = 0;

async function withAdmin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN_URL, application_name: 'finsync-bench' });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

export async function createScratchDb(purpose: string): Promise<ScratchDb> {
  if (!/^[a-z0-9_]+$/.test(purpose)) throw new Error(`scratch database purpose must be [a-z0-9_]: ${purpose}`);
  const name = `${PREFIX}${purpose}_${process.pid}_${Date.now().toString(36)}${counter++}`;
  await withAdmin((c) => c.query(`create database ${name}`));
  return {
    name,
    url: `postgres://postgres@127.0.0.1:5432/${name}`,
    drop: () => withAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Drops `finsync_bench_*` databases left by runs whose process no longer exists; returns their names. */
export async function dropStaleScratchDbs(): Promise<string[]> {
  return withAdmin(async (c) => {
    const { rows } = await c.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [
      `${PREFIX}%`,
    ]);
    const stale = rows
      .map((r) => r.datname)
      .filter((name) => {
        const pid = Number(/^finsync_bench_[a-z0-9_]+?_(\d+)_[a-z0-9]+$/.exec(name)?.[1]);
        return Number.isInteger(pid) && pid !== process.pid && !alive(pid);
      });
    for (const name of stale) await c.query(`drop database if exists ${name} with (force)`);
    return stale;
  });
}
