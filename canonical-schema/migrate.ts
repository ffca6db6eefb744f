/**
 * Brings the canonical database to the newest schema with node-pg-migrate (forward-only SQL files in
 * `canonical-schema/migrations/`, one transaction, a lock that concurrent runs wait for, and a refusal to run
 * when the database holds migrations this code does not know). Creates the database first if needed.
 * node-pg-migrate 9 is an ES module; its CLI is run as a child process so finsync stays CommonJS.
 * Usage: `npm run migrate` (the CDC process and the tests call `migrateCanonicalSchema()` themselves).
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { canonicalDatabaseUrl } from './database';

const run = promisify(execFile);
const root = join(__dirname, '..');

/** Creates the database named in the URL when it does not exist (connecting to `postgres` to do so). */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database "${name.replace(/"/g, '""')}"`);
  } catch (err) {
    // Two processes may race to create it; the loser sees duplicate_database (42P04).
    if ((err as { code?: string }).code !== '42P04') throw err;
  } finally {
    await client.end();
  }
}

/**
 * Whether every migration file is recorded as run already (node-pg-migrate's `pgmigrations` table): then starting
 * node-pg-migrate's CLI (a second node process, over a second of a restart on this machine) is skipped. A process
 * restarted after a crash is applying again sooner (issue 16). Anything else (a pending or unknown migration, no
 * table yet) goes to the CLI, which does the checks.
 */
async function upToDate(databaseUrl: string): Promise<boolean> {
  const files = readdirSync(join(root, 'canonical-schema', 'migrations'))
    .filter((f) => f.endsWith('.sql'))
    .map((f) => f.slice(0, -'.sql'.length));
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows: table } = await client.query<{ t: string | null }>(`select to_regclass('pgmigrations')::text as t`);
    if (!table[0]?.t) return false;
    const { rows } = await client.query<{ name: string }>('select name from pgmigrations');
    const done = new Set(rows.map((r) => r.name));
    return rows.length === files.length && files.every((f) => done.has(f));
  } finally {
    await client.end();
  }
}

/** Runs every pending migration; resolves with node-pg-migrate's report. */
export async function migrateCanonicalSchema(databaseUrl = canonicalDatabaseUrl()): Promise<string> {
  await ensureDatabase(databaseUrl);
  if (await upToDate(databaseUrl))
    return 'No migrations to run: every migration is recorded (checked without node-pg-migrate)';
  const cli = join(root, 'node_modules', 'node-pg-migrate', 'bin', 'node-pg-migrate.js');
  const { stdout } = await run(
    process.execPath,
    [
      cli,
      'up',
      '--migrations-dir',
      join(root, 'canonical-schema', 'migrations'),
      '--check-order',
      '--no-verbose',
      // Several processes may migrate at once (the launcher first, then each process on its own start, or N
      // replicas): the later ones wait for the lock and then find nothing to do, instead of failing on it.
      '--advisory-lock-mode',
      'wait',
    ],
    { cwd: root, env: { ...process.env, DATABASE_URL: databaseUrl } },
  );
  return stdout;
}

if (require.main === module) {
  migrateCanonicalSchema().then(
    (report) => process.stdout.write(report || 'canonical schema: up to date\n'),
    (err: unknown) => {
      const e = err as { stderr?: string; message?: string };
      process.stderr.write(`migrate: ${e.stderr || e.message || String(err)}\n`);
      process.exit(1);
    },
  );
}
