/**
 * Crash safety of the CDC process. A fresh clean data set is seeded into the stand-in sources; the CDC process
 * (`tsx cdc/main.ts`, as `npm start` runs it) consumes it as a child process and is SIGKILLed in the middle of
 * its batches several times, each time right after it has committed something and while events remain, then
 * restarted with the same consumer group. Once it has read the run's events to their end (the change topics' end
 * offsets once Debezium has written the run), the canonical store must hold every record of the run exactly once: the manifest's record counts and control totals per currency,
 * no canonical row twice (one per source row, one allocation per payment, journal lines not doubled), nothing
 * parked and no exception.
 *
 * The group starts at the change topics' end offsets taken before seeding (stored in `consumer_offset`, where
 * the pipeline keeps its offsets), so it reads this run's events and not the history of earlier runs.
 */
import { Pool } from 'pg';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import type { Manifest } from '../../stack/seed/manifest';
import { startCdcProcess, type CdcProcess } from '../support/cdcProcess';
import {
  behind,
  changeTopicEnds,
  groupOffsets,
  messagesBetween,
  quietChangeTopicEnds,
  storeGroupOffsets,
  type PartitionOffsets,
} from '../support/changeTopicOffsets';
import { expectedTotals, runQueries, runRowCount, totalsByCurrency } from '../support/runControls';
import { freshSeed, runSeed } from '../support/runSeed';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { waitFor } from '../support/waitFor';

/** ~7.8 change events per unit of size (suppliers, orders, invoices, lines, customers, payments, journals):
 * ~15,000 events, enough for five lives of a pipeline that applies thousands of events a second. */
const SIZE = 2000;
const KILLS = 4;

const seed = freshSeed();
const prefix = `S${seed}-`;
const groupId = `finsync-test-crash-${seed}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Kill {
  readonly life: number;
  /** From the launch to the first batch this life committed (start-up plus the group rebalance). */
  readonly msToFirstCommit: number;
  /** How long it had been committing when it was killed. */
  readonly msCommitting: number;
  /** Messages committed (over the run's offset range) when this life started and when it was killed. */
  readonly committedAtStart: number;
  readonly committedAtKill: number;
  /** Messages of the run not yet committed at the kill. */
  readonly remaining: number;
  /** Transactions of the CDC process open in Postgres at the kill (a batch in flight). */
  readonly openTransactions: number;
  /** What triggered the kill: the random timer, or this life's share of the run being committed. */
  readonly by: 'timer' | 'share';
  readonly exit: string;
}

describe('CDC process: SIGKILLed in the middle of batches and restarted, it applies every record exactly once', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let manifest: Manifest;
  let start: PartitionOffsets;
  let runEnds: PartitionOffsets;
  let current: CdcProcess | undefined;
  const kills: Kill[] = [];
  const timings: Record<string, number> = {};

  const committed = async () => messagesBetween(start, await groupOffsets(pool, groupId));
  const alive = (proc: CdcProcess) => {
    if (proc.hasExited()) throw new Error(`the CDC process exited on its own; its output:\n${proc.output()}`);
  };
  const launch = () =>
    (current = startCdcProcess({
      FINSYNC_DATABASE_URL: db.url,
      FINSYNC_CDC_GROUP_ID: groupId,
      FINSYNC_LOG_LEVEL: 'warn',
    }));
  /** Open transactions of other sessions on the scratch database that are not the outbox relay's. */
  const openTransactions = async () => {
    const { rows } = await pool.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and xact_start is not null
          and query not like '%published_at%'`,
    );
    return rows[0]!.n;
  };

  beforeAll(async () => {
    const t0 = Date.now();
    db = await scratchDatabase('cdccrash');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    start = await changeTopicEnds();
    await storeGroupOffsets(pool, groupId, start);
    manifest = await runSeed(['--size', String(SIZE)], seed);
    timings.seedSeconds = (Date.now() - t0) / 1000;
    // The whole run is on the topics (they stopped growing) before the first life starts: the kills then land
    // in a backlog, not in a pipeline idling while it waits for Debezium.
    runEnds = await quietChangeTopicEnds(3_000, 120_000);
    timings.capturedSeconds = (Date.now() - t0) / 1000;

    for (let life = 1; life <= KILLS + 1; life++) {
      const proc = launch();
      const launchedAt = Date.now();
      const committedAtStart = await committed();
      const firstCommit = waitFor(
        async () => {
          alive(proc);
          return (await committed()) > committedAtStart;
        },
        120_000,
        `the CDC process (life ${life}) to commit a batch`,
        25,
      );
      await firstCommit;
      if (life > KILLS) break;
      // Kill after a random 1–4 s, or earlier once this life has taken its share of the run, so that every life
      // and the last one still find events to apply.
      const committingFrom = Date.now();
      const killAt = committingFrom + 1_000 + Math.random() * 3_000;
      const share = (messagesBetween(start, runEnds) * life) / (KILLS + 1);
      while (Date.now() < killAt && (await committed()) < share) await sleep(25);
      alive(proc);
      const killedBeforeTimer = Date.now() < killAt;
      const open = await openTransactions();
      const committedAtKill = await committed();
      proc.signal('SIGKILL');
      const exit = await proc.exited;
      kills.push({
        life,
        msToFirstCommit: committingFrom - launchedAt,
        msCommitting: Date.now() - committingFrom,
        committedAtStart,
        committedAtKill,
        remaining: messagesBetween(start, runEnds) - committedAtKill,
        by: killedBeforeTimer ? 'share' : 'timer',
        openTransactions: open,
        exit: exit.signal ?? String(exit.code),
      });
    }
    timings.killsDoneSeconds = (Date.now() - t0) / 1000;

    // The last life runs to the end of the run's events (offsets are committed with what they applied), and the
    // run's rows hold still.
    const last = current!;
    let previous = -1;
    await waitFor(
      async () => {
        alive(last);
        const lagging = behind(await groupOffsets(pool, groupId), runEnds);
        const rows = await runRowCount(pool, prefix);
        const settled = lagging.length === 0 && rows === previous;
        previous = rows;
        return settled;
      },
      150_000,
      "the CDC process to read the run's events to their end",
    );
    last.signal('SIGTERM');
    const exit = await last.exited;
    if (exit.code !== 0) throw new Error(`the CDC process stopped with ${exit.signal ?? exit.code}:\n${last.output()}`);
    timings.totalSeconds = (Date.now() - t0) / 1000;
    console.info(
      `cdcCrash: seed ${seed}, ${messagesBetween(start, runEnds)} change events; kills: ${JSON.stringify(kills)}; ` +
        `timings: ${JSON.stringify(timings)}`,
    );
  }, 420_000);

  afterAll(async () => {
    if (current && !current.hasExited()) {
      current.signal('SIGKILL');
      await current.exited;
    }
    await pool?.end();
    await db?.drop();
  });

  it(`was killed ${KILLS} times while events were flowing, each time after committing and with events left`, () => {
    expect(kills).toHaveLength(KILLS);
    for (const kill of kills) {
      expect(kill.exit).toBe('SIGKILL');
      expect(kill.committedAtKill).toBeGreaterThan(kill.committedAtStart);
      expect(kill.remaining).toBeGreaterThan(0);
    }
    // Batches run back to back: a kill lands inside one (an open transaction) nearly always.
    expect(kills.some((k) => k.openTransactions > 0)).toBe(true);
  });

  it('holds every record of the run with the control totals of the source, per currency', async () => {
    const totals = (sql: string) => totalsByCurrency(pool, sql, prefix);
    const counts = (t: Record<string, { count: number }>) =>
      Object.fromEntries(Object.entries(t).map(([cur, v]) => [cur, v.count]));
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
    expect(counts(await totals(runQueries.vendors))).toEqual(counts(expectedTotals(manifest, 'procurement.supplier')));
    expect(counts(await totals(runQueries.customers))).toEqual(counts(expectedTotals(manifest, 'billing.customer')));
  });

  it('holds no canonical record twice: one row per source row, one allocation per payment', async () => {
    // A record applied twice would be a second row with the same correlation id (it derives from the source
    // row), or a row no source reference points to.
    const twice = await pool.query<{ kind: string; rows: number; sources: number; referenced: number }>(
      `with run as (
         select 'vendor' as kind, v.correlation_id, v.id from vendor v
          where v.correlation_id in (select correlation_id from source_reference where object_type = 'VENDOR' and source_id like $1 || '%')
         union all
         select 'customer', c.correlation_id, c.id from customer c
          where c.correlation_id in (select correlation_id from source_reference where object_type = 'CUSTOMER' and source_id like $1 || '%')
         union all
         select 'invoice', i.correlation_id, i.id from invoice i where i.number like $1 || '%'
         union all
         select 'payment', p.correlation_id, p.id from payment p where p.reference like $1 || '%'
         union all
         select 'journal_entry', j.correlation_id, j.id from journal_entry j where j.number like $1 || '%'
       )
       select kind, count(*)::int as rows, count(distinct run.correlation_id)::int as sources,
              count(distinct r.canonical_id)::int as referenced
         from run left join source_reference r on r.canonical_id = run.id
        group by kind order by kind`,
      [prefix],
    );
    for (const row of twice.rows) expect(row).toEqual({ ...row, sources: row.rows, referenced: row.rows });
    expect(twice.rows.map((r) => r.kind)).toEqual(['customer', 'invoice', 'journal_entry', 'payment', 'vendor']);

    // Lines: one canonical line per source line (the line's source reference), each line number once per document.
    const lines = await pool.query<{ lines: number; referenced: number; numbered: number }>(
      `select count(*)::int as lines, count(distinct r.canonical_id)::int as referenced,
              count(distinct (l.invoice_id, l.line_number))::int as numbered
         from invoice_line l join invoice i on i.id = l.invoice_id
         left join source_reference r on r.canonical_id = l.id and r.object_type = 'INVOICE_LINE'
        where i.number like $1 || '%'`,
      [prefix],
    );
    const sourceLines =
      manifest.controls['billing.invoice_line']!.count + manifest.controls['procurement.supplier_invoice_line']!.count;
    expect(lines.rows[0]).toEqual({ lines: sourceLines, referenced: sourceLines, numbered: sourceLines });

    const allocations = await pool.query<{ payments: number; allocations: number; wrong: number }>(
      `select count(distinct p.id)::int as payments, count(a.payment_id)::int as allocations,
              count(*) filter (where a.amount is distinct from p.total_amount)::int as wrong
         from payment p left join payment_allocation a on a.payment_id = p.id where p.reference like $1 || '%'`,
      [prefix],
    );
    expect(allocations.rows[0]).toEqual({
      payments: manifest.controls['billing.payment']!.count,
      allocations: manifest.controls['billing.payment']!.count,
      wrong: 0,
    });

    // Settlement counted each settled payment once: what the invoices show as paid is what was settled.
    const settled = await totalsByCurrency(pool, runQueries.settledAllocations, prefix);
    const paid = await totalsByCurrency(
      pool,
      `select currency, count(*)::int as n, sum(total_amount - balance)::text as total from invoice
        where type = 'ACCOUNTS_RECEIVABLE' and not is_credit_note and number like $1 || '%' group by currency`,
      prefix,
    );
    const settledControls = expectedTotals(manifest, 'billing.payment', 'settled');
    for (const [currency, control] of Object.entries(settledControls)) {
      expect({ currency, settled: settled[currency]?.total ?? '0.00', paid: paid[currency]?.total }).toEqual({
        currency,
        settled: control.total,
        paid: control.total,
      });
    }
  });

  it('leaves nothing of the run parked and raises no exception for it', async () => {
    const exceptions = await pool.query<{ code: string; message: string }>(
      `select code, message from exception where message like '%' || $1 || '%' or source_event::text like '%' || $1 || '%'`,
      [prefix],
    );
    expect(exceptions.rows).toEqual([]);
    const parked = await pool.query<{ reason: string }>(
      `select reason from parked_event where event::text like '%' || $1 || '%'`,
      [prefix],
    );
    expect(parked.rows).toEqual([]);
  });
});
