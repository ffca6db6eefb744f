/**
 * `npm start`'s launcher, run as a person runs it (`bash bin/start.sh`, demo data off, the stack already up from
 * `npm test`, every port moved to base 14000, its own canonical database, consumer group and topics):
 *
 * - three starts in a row, the first on an empty canonical database and the next two on the migrated one: every
 *   process says it is ready each time, none restarts, the gateway answers, and Ctrl-C stops them all cleanly;
 * - the CDC process SIGKILLed while a seeded data set flows: the launcher restarts it (and only it), the run's
 *   records arrive exactly once (control totals per currency against the generator's manifest), and the gateway
 *   answers every request sent while the CDC process was down and restarting.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Pool } from 'pg';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { changeTopicEnds, storeGroupOffsets } from '../support/changeTopicOffsets';
import { startLauncher, type LauncherProcess } from '../support/launcherProcess';
import { expectedTotals, runQueries, runRowCount, totalsByCurrency } from '../support/runControls';
import { freshSeed, runSeed } from '../support/runSeed';
import { bearer } from '../support/tokens';
import { waitFor } from '../support/waitFor';

const PORT_BASE = 14000;
const run = `${process.pid}_${Date.now()}`;
const database = `finsync_test_launcher_${run}`;
const databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const migrations = readdirSync(join(__dirname, '..', '..', 'canonical-schema', 'migrations')).filter((f) =>
  f.endsWith('.sql'),
);

const env = (groupId: string) => ({
  FINSYNC_DATABASE_URL: databaseUrl,
  FINSYNC_CDC_GROUP_ID: groupId,
  FINSYNC_EVENTS_TOPIC: `finsync.test.launcher.${run}.events`,
  FINSYNC_DLQ_TOPIC: `finsync.test.launcher.${run}.dead-letter`,
  FINSYNC_DEMO_DATA: 'off',
  FINSYNC_SKIP_STACK: '1',
  FINSYNC_LOG_LEVEL: 'warn',
});

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** One GraphQL request through the launcher's gateway; resolves with the HTTP status and the body. */
async function ask(
  gatewayUrl: string,
  query: string,
): Promise<{ status: number; body: { data?: unknown; errors?: unknown } }> {
  const res = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: await bearer() },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as { data?: unknown; errors?: unknown } };
}

const alive = (pid: number | null) => {
  if (pid === null) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The GraphQL requests of the README's "First look" (its `q '…'` lines): what a newcomer pastes first. */
function readmeFirstLookQueries(): string[] {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  return [...readme.matchAll(/^q '(.*)'$/gm)].map((m) => (JSON.parse(m[1]!) as { query: string }).query);
}

/** Ctrl-C: the launcher and every process it ran are gone, and it exits 0. */
async function interruptAndCheck(launcher: LauncherProcess, pids: number[]): Promise<void> {
  launcher.interrupt();
  const exit = await Promise.race([
    launcher.exited,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('the launcher did not stop within 30 s')), 30_000),
    ),
  ]);
  expect(exit).toEqual({ code: 0, signal: null });
  expect(pids.filter(alive)).toEqual([]);
  expect(launcher.output()).toContain('finsync stopped');
}

describe('npm start: the launcher', () => {
  let current: LauncherProcess | undefined;

  beforeAll(async () => {
    await admin((c) => c.query(`drop database if exists ${database} with (force)`));
  });
  afterEach(() => current?.kill());
  afterAll(async () => {
    await admin((c) => c.query(`drop database if exists ${database} with (force)`));
  });

  it.each([
    [1, 'an empty canonical database'],
    [2, 'the migrated database'],
    [3, 'the migrated database again'],
  ])('start %i, on %s: every process ready, none restarted, the gateway answers, Ctrl-C stops all', async (n) => {
    if (n === 1) {
      const exists = await admin((c) => c.query('select 1 from pg_database where datname = $1', [database]));
      expect(exists.rowCount).toBe(0);
    }
    const launcher = (current = startLauncher(env(`finsync-test-launcher-${run}`), PORT_BASE));
    const ready = await launcher.ready(150_000);
    expect(ready.map((p) => p.instance).sort()).toEqual(
      [
        'cdc-1',
        'flows-1',
        'gateway-1',
        'invoices-1',
        'journals-1',
        'payments-1',
        'postings-1',
        'posting-1',
        'reconciliation-1',
        'vendors-1',
      ].sort(),
    );
    expect(ready.filter((p) => p.restarts > 0)).toEqual([]);
    expect(launcher.output()).not.toContain('Another migration is already running');

    const pool = new Pool({ connectionString: databaseUrl, max: 1 });
    try {
      const applied = await pool.query<{ name: string }>('select name from pgmigrations order by run_on, id');
      expect(applied.rows.map((r) => `${r.name}.sql`)).toEqual(migrations);
    } finally {
      await pool.end();
    }
    const answer = await ask(launcher.gatewayUrl, '{ invoices(first: 1) { totalCount } reconciliationFlows { id } }');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      data: {
        invoices: { totalCount: expect.any(Number) },
        reconciliationFlows: expect.arrayContaining([{ id: 'BILLING_INVOICES' }]),
      },
    });
    if (n === 1) {
      // The README's first-look requests are valid against the API as it ships: each answers data, no error.
      const queries = readmeFirstLookQueries();
      expect(queries.length).toBeGreaterThanOrEqual(3);
      for (const query of queries) {
        const { status, body } = await ask(launcher.gatewayUrl, query);
        expect({ query, status, errors: body.errors }).toEqual({ query, status: 200, errors: undefined });
        expect(body.data).toEqual(expect.any(Object));
      }
    }

    await interruptAndCheck(
      launcher,
      ready.map((p) => p.pid!),
    );
  });

  it('restarts the CDC process SIGKILLed while events flow: nothing lost or doubled, the gateway answers throughout', async () => {
    const seed = freshSeed();
    const prefix = `S${seed}-`;
    const groupId = `finsync-test-launcher-kill-${run}`;
    // Migrated already when the starts above ran; this test can run alone too.
    await migrateCanonicalSchema(databaseUrl);
    const pool = new Pool({ connectionString: databaseUrl, max: 2 });
    try {
      // This group reads the change topics from their present ends: the run's events, not the history.
      await storeGroupOffsets(pool, groupId, await changeTopicEnds());
      const launcher = (current = startLauncher(env(groupId), PORT_BASE));
      const before = await launcher.ready(150_000);
      const cdcPid = before.find((p) => p.instance === 'cdc-1')!.pid!;

      const seeding = runSeed(['--size', '400'], seed);
      await waitFor(async () => (await runRowCount(pool, prefix)) > 0, 120_000, 'the first records of the run', 100);

      // From the kill until the CDC process is back, a reporting query every 100 ms through the gateway.
      const answers: Array<{ status: number; ok: boolean }> = [];
      let polling = true;
      const poller = (async () => {
        while (polling) {
          const a = await ask(
            launcher.gatewayUrl,
            `{ invoices(first: 5, filter: { numberPrefix: "${prefix}" }) { totalCount edges { node { number } } } }`,
          ).catch((err: Error) => ({
            status: 0,
            body: { errors: [err.message] } as { data?: unknown; errors?: unknown },
          }));
          answers.push({ status: a.status, ok: a.status === 200 && !a.body.errors && a.body.data !== undefined });
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const rowsAtKill = await runRowCount(pool, prefix);
      process.kill(cdcPid, 'SIGKILL');
      const restarted = await waitFor(
        async () => {
          const cdc = (await launcher.processes()).find((p) => p.instance === 'cdc-1');
          return cdc && cdc.restarts === 1 && cdc.state === 'ready' && cdc.pid !== cdcPid ? cdc : null;
        },
        60_000,
        'the launcher to restart the CDC process',
        100,
      );
      expect(restarted?.lastExit?.reason).toBe('killed by SIGKILL');

      const manifest = await seeding;
      const totals = (sql: string) => totalsByCurrency(pool, sql, prefix);
      await waitFor(
        async () =>
          JSON.stringify(await totals(runQueries.payments)) ===
            JSON.stringify(expectedTotals(manifest, 'billing.payment')) &&
          JSON.stringify(await totals(runQueries.journalDebits)) ===
            JSON.stringify(expectedTotals(manifest, 'payroll.payroll_journal')) &&
          JSON.stringify(await totals(runQueries.payableLines)) ===
            JSON.stringify(expectedTotals(manifest, 'procurement.supplier_invoice_line')),
        120_000,
        'the whole run in the canonical store',
        500,
      );
      polling = false;
      await poller;
      // The kill landed in the middle of the run: most of it arrived after the restart.
      expect(rowsAtKill).toBeLessThan(await runRowCount(pool, prefix));

      expect(await totals(runQueries.receivables)).toEqual(expectedTotals(manifest, 'billing.invoice'));
      expect(await totals(runQueries.receivableLines)).toEqual(expectedTotals(manifest, 'billing.invoice_line'));
      expect(await totals(runQueries.creditMemos)).toEqual(expectedTotals(manifest, 'billing.credit_memo'));
      expect(await totals(runQueries.payments)).toEqual(expectedTotals(manifest, 'billing.payment'));
      expect(await totals(runQueries.payables)).toEqual(expectedTotals(manifest, 'procurement.supplier_invoice'));
      expect(await totals(runQueries.payableLines)).toEqual(
        expectedTotals(manifest, 'procurement.supplier_invoice_line'),
      );
      expect(await totals(runQueries.journalDebits)).toEqual(expectedTotals(manifest, 'payroll.payroll_journal'));
      expect(await totals(runQueries.journalCredits)).toEqual(
        expectedTotals(manifest, 'payroll.payroll_journal', 'credit'),
      );
      // Nothing doubled: one canonical record per source document.
      const twice = await pool.query<{ kind: string; key: string }>(
        `select 'invoice' as kind, type || ' ' || number as key from invoice where number like $1 || '%'
          group by type, number having count(*) > 1
         union all
         select 'payment', reference from payment where reference like $1 || '%' group by reference having count(*) > 1
         union all
         select 'journal', number from journal_entry where number like $1 || '%' group by number having count(*) > 1`,
        [prefix],
      );
      expect(twice.rows).toEqual([]);

      // The gateway answered every request while the CDC process was down and restarting.
      expect(answers.length).toBeGreaterThan(10);
      expect(answers.filter((a) => !a.ok)).toEqual([]);
      // The other processes were left alone; the restart is counted where operations look.
      const after = await launcher.processes();
      expect(after.filter((p) => p.instance !== 'cdc-1').map((p) => [p.instance, p.pid, p.restarts])).toEqual(
        before.filter((p) => p.instance !== 'cdc-1').map((p) => [p.instance, p.pid, 0]),
      );
      const metrics = await (await fetch(`${launcher.statusUrl}/metrics`)).text();
      expect(metrics).toContain('finsync_process_restarts_total{process="cdc",instance="cdc-1"} 1');
      expect(metrics).toContain('finsync_process_restarts_total{process="gateway",instance="gateway-1"} 0');
      expect(launcher.output()).toContain('cdc-1 exited unexpectedly (killed by SIGKILL');

      await interruptAndCheck(
        launcher,
        after.map((p) => p.pid!),
      );
    } finally {
      await pool.end();
    }
  });
});
