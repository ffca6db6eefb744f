/**
 * Two posting workers share the posting queue while Tryton restarts (issue 16, item 2). The workers are processes as
 * `npm start` runs them (`tsx erp/main.ts`, posting-1 and posting-2, short leases) and talk to the test's OWN trytond
 * (another port, the same Tryton database as the stack's, which stays up for everyone else). Postings arrive in
 * waves; after the first wave is posted the test's trytond is SIGKILLed, a wave arrives while it is down, it is
 * started again, and two more waves arrive. At the end Tryton holds exactly one posted move per posting (none twice,
 * none lost), each posting names it, and both workers posted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journal, postingHarness, preparer, trytonMoves, type PostingHarness } from '../support/postingHarness';
import { startPostingProcess, type PostingProcess } from '../support/postingProcess';
import { waitFor } from '../support/waitFor';

const WAVE = 5;
const WAVES = 4;
/** Not the stack's 8000; a port no other test of the suite uses. */
const PORT = 18_461;
const URL = `http://127.0.0.1:${PORT}/finsync_erp/`;
const runDir = process.env.FINSYNC_RUN_DIR ?? join(__dirname, '..', '..', '.run');

/** The stack's trytond configuration, listening on PORT instead. */
function ownTrytondConf(): string {
  const dir = mkdtempSync(join(tmpdir(), 'finsync-trytond-'));
  const conf = readFileSync(join(runDir, 'tryton', 'trytond.conf'), 'utf8').replace(
    /^listen = .*$/m,
    `listen = 127.0.0.1:${PORT}`,
  );
  writeFileSync(join(dir, 'trytond.conf'), conf);
  return join(dir, 'trytond.conf');
}

/** Starts trytond and waits until it answers JSON-RPC (a version call: no login, nothing to lock out). */
async function startTrytond(conf: string): Promise<ChildProcess> {
  const child = spawn('/usr/bin/python3', ['/usr/bin/trytond', '-c', conf, '-d', 'finsync_erp'], {
    stdio: 'ignore',
    detached: true,
  });
  started.push(child);
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`the test's trytond exited with ${child.exitCode}`);
      try {
        const r = await fetch(`http://127.0.0.1:${PORT}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: 1, method: 'common.server.version', params: [] }),
        });
        return r.ok;
      } catch {
        return false;
      }
    },
    60_000,
    "the test's trytond to answer",
    250,
  );
  return child;
}

/** Every trytond this file started, stopped in afterAll whatever happened. */
const started: ChildProcess[] = [];

const killTrytond = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGKILL');
  await gone;
};

describe('two posting workers, Tryton restarted while postings flow: each posting exactly once in Tryton', () => {
  let h: PostingHarness;
  let trytond: ChildProcess;
  const workers: PostingProcess[] = [];
  const tag = randomUUID().slice(0, 8);
  const ids: string[] = [];
  const timeline: string[] = [];
  const t0 = Date.now();
  const note = (what: string) => timeline.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);

  const posted = async () =>
    (
      await h.pool.query<{ n: number }>(
        `select count(*)::int as n from posting where id = any($1) and status = 'POSTED'`,
        [ids],
      )
    ).rows[0]!.n;
  const wave = async (w: number) => {
    for (let i = 0; i < WAVE; i++) {
      const r = await h.service.acceptJournalPosting(journal(`${tag}-w${w}-${i}`), preparer, `key-${tag}-${w}-${i}`);
      expect(r.userErrors).toEqual([]);
      ids.push(r.posting!.id);
    }
    note(`wave ${w} accepted`);
  };

  beforeAll(async () => {
    h = await postingHarness('posting_scale');
    const conf = ownTrytondConf();
    trytond = await startTrytond(conf);
    note('trytond up');
    for (const n of [1, 2]) {
      workers.push(
        startPostingProcess({
          FINSYNC_DATABASE_URL: h.db.url,
          FINSYNC_TRYTON_URL: URL,
          FINSYNC_WORKER_ID: `posting-${n}`,
          FINSYNC_WORKER_BATCH: '2',
          FINSYNC_WORKER_IDLE_MS: '100',
          FINSYNC_WORKER_LEASE_MS: '4000',
          FINSYNC_TRYTON_TIMEOUT_MS: '1500',
          FINSYNC_WORKER_BACKOFF_MS: '200',
          FINSYNC_WORKER_MAX_BACKOFF_MS: '1000',
          FINSYNC_LOG_LEVEL: 'warn',
        }),
      );
    }
    await wave(1);
    await waitFor(async () => (await posted()) === WAVE, 120_000, 'the first wave to be posted', 200);
    note('wave 1 posted');

    await killTrytond(trytond);
    note('trytond SIGKILLed');
    await wave(2);
    // The workers try and fail while it is down (the postings wait, SUBMITTED, with the reason).
    await waitFor(
      async () => {
        const { rows } = await h.pool.query<{ n: number }>(
          `select count(*)::int as n from posting where id = any($1) and last_error is not null`,
          [ids],
        );
        return rows[0]!.n > 0;
      },
      60_000,
      'a worker to fail against the stopped Tryton',
      200,
    );
    note('failures recorded');
    trytond = await startTrytond(conf);
    note('trytond up again');
    await wave(3);
    await wave(4);
    await waitFor(async () => (await posted()) === WAVE * WAVES, 180_000, 'every posting to be posted', 500).catch(
      async (err: unknown) => {
        const { rows } = await h.pool.query(
          `select p.status, p.attempts, p.last_error, q.run_at, q.locked_until, q.locked_by from posting p
             left join posting_queue q on q.posting_id = p.id where p.id = any($1) and p.status <> 'POSTED'`,
          [ids],
        );
        throw new Error(
          `${String(err)}\nnot posted: ${JSON.stringify(rows)}\n${workers.map((w) => w.output().slice(-3000)).join('\n')}`,
        );
      },
    );
    note('all posted');
    console.info(`postingScaleOut: ${timeline.join('; ')}`);
  }, 420_000);

  afterAll(async () => {
    for (const w of workers) w.signal('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    for (const t of started) await killTrytond(t);
    await h?.close();
  });

  it('holds exactly one posted move per posting in Tryton, and each posting names it', async () => {
    expect(ids).toHaveLength(WAVE * WAVES);
    const { rows } = await h.pool.query<{ id: string; erp_document_id: string | null }>(
      `select id, erp_document_id from posting where id = any($1)`,
      [ids],
    );
    for (const row of rows) {
      const moves = await trytonMoves(h.erp, `finsync:${row.id}`);
      expect({ posting: row.id, states: moves.map((m) => m.state) }).toEqual({ posting: row.id, states: ['posted'] });
      expect(row.erp_document_id).toBe(String(moves[0]!.id));
    }
  });

  it('shared the work: both workers posted', async () => {
    const { rows } = await h.pool.query<{ by: string }>(
      `select distinct detail->>'by' as by from audit_event
        where stage = 'POSTING' and detail->>'to' = 'POSTED' and canonical_id = any($1::uuid[]) order by 1`,
      [ids],
    );
    expect(rows.map((r) => r.by)).toEqual(['posting-1', 'posting-2']);
  });
});
