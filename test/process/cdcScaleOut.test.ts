/**
 * Scale-out of the CDC consumer (issue 16, item 2): three CDC processes (`tsx cdc/main.ts`, instances cdc-1 … cdc-3)
 * in one consumer group share change topics of three partitions each; during the load one is SIGKILLed (not
 * restarted: its partitions move to the others once its session expires) and a fourth joins (its partitions are
 * taken from the others in a rebalance). A fresh seeded run is written into the test's OWN topics
 * (`t<seed>.<system>.<schema>.<table>`, three partitions, keyed by the source row as Debezium keys it), so the shared
 * Debezium topics that other tests read are left as they are. Every payment of the run is written before any invoice:
 * each one parks for its invoice, which arrives later on another topic, applied by whichever process owns it.
 *
 * Then the canonical store must hold the run exactly once: the manifest's counts and control totals per currency, no
 * row twice, every parked payment released (and none left parked), and no exception.
 */
import { Pool } from 'pg';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import type { RawMessage } from '../../cdc/envelope/decodeMessage';
import type { Manifest } from '../../stack/seed/manifest';
import { startCdcProcess, type CdcProcess } from '../support/cdcProcess';
import {
  behind,
  changeTopicEnds,
  groupOffsets,
  quietChangeTopicEnds,
  topicEnds,
  type PartitionOffsets,
} from '../support/changeTopicOffsets';
import { createOwnTopics, ownBroker, readRange, writeToOwnTopics } from '../support/copyToOwnTopics';
import { expectedTotals, runQueries, runRowCount, totalsByCurrency } from '../support/runControls';
import { freshSeed, runSeed } from '../support/runSeed';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { waitFor } from '../support/waitFor';

/** ~6,000 change events. */
const SIZE = 800;
const PARTITIONS = 3;
/** The load is written in this many chunks after the payments; the kill and the join happen between chunks. */
const CHUNKS = 6;

const seed = freshSeed();
const prefix = `S${seed}-`;
const tag = `t${seed}.`;
const groupId = `finsync-test-scale-${seed}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CDC scale-out: three processes in one group over multi-partition topics, one killed and one added', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let manifest: Manifest;
  const procs = new Map<string, CdcProcess>();
  let ownEnds: PartitionOffsets;
  const timeline: string[] = [];
  let t0 = 0;
  const note = (what: string) => timeline.push(`${((Date.now() - t0) / 1000).toFixed(1)}s ${what}`);

  const launch = (instance: string) => {
    procs.set(
      instance,
      startCdcProcess({
        FINSYNC_DATABASE_URL: db.url,
        FINSYNC_CDC_GROUP_ID: groupId,
        FINSYNC_CDC_TOPIC_PREFIX: tag,
        FINSYNC_CDC_TOPIC_PARTITIONS: String(PARTITIONS),
        FINSYNC_INSTANCE: instance,
        FINSYNC_LOG_LEVEL: 'warn',
      }),
    );
    note(`${instance} started`);
  };
  const alive = () => {
    for (const [name, p] of procs) {
      if (name !== 'cdc-2' && p.hasExited()) throw new Error(`${name} exited on its own:\n${p.output()}`);
    }
  };

  beforeAll(async () => {
    t0 = Date.now();
    db = await scratchDatabase('cdcscale');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    const start = await changeTopicEnds();
    manifest = await runSeed(['--size', String(SIZE)], seed);
    const runEnds = await quietChangeTopicEnds(3_000, 120_000);
    const run = await readRange(start, runEnds);
    note(`seeded and read back: ${run.length} change events`);

    // Own topics: every change topic of the run, three partitions each.
    const topics = [...new Set([...runEnds.keys()].map((k) => k.slice(0, k.lastIndexOf(':'))))];
    await createOwnTopics(topics, tag, PARTITIONS);
    // Payments first (they all park for their invoices), then the rest of each topic in order, in chunks.
    const isPayment = (m: RawMessage) => m.topic === 'billing.billing.payment';
    const rest = new Map<string, RawMessage[]>();
    for (const m of run.filter((x) => !isPayment(x))) rest.set(m.topic, [...(rest.get(m.topic) ?? []), m]);
    const chunks: RawMessage[][] = [run.filter(isPayment)];
    for (let i = 0; i < CHUNKS; i++) {
      chunks.push(
        [...rest.values()].flatMap((list) => {
          const size = Math.ceil(list.length / CHUNKS);
          return list.slice(i * size, (i + 1) * size);
        }),
      );
    }

    for (const instance of ['cdc-1', 'cdc-2', 'cdc-3']) launch(instance);
    const broker = ownBroker();
    for (const [i, chunk] of chunks.entries()) {
      await writeToOwnTopics(broker, chunk, tag);
      note(`chunk ${i}: ${chunk.length} events written`);
      if (i === 0) {
        // The payments park before any invoice is written.
        await waitFor(
          async () => {
            alive();
            const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from parked_event`);
            return rows[0]!.n >= manifest.controls['billing.payment']!.count;
          },
          120_000,
          'every payment of the run to be parked',
          200,
        );
        note('payments parked');
      }
      if (i === 2) {
        procs.get('cdc-2')!.signal('SIGKILL');
        await procs.get('cdc-2')!.exited;
        note('cdc-2 SIGKILLed');
      }
      if (i === 4) {
        launch('cdc-4');
        // The rest of the load is written once it has joined: its partitions are taken from the others mid-load.
        await waitFor(
          async () => {
            alive();
            const { rows } = await pool.query(`select 1 from cdc_member where group_id = $1 and instance = 'cdc-4'`, [
              groupId,
            ]);
            return rows.length > 0;
          },
          120_000,
          'cdc-4 to join the group',
          200,
        );
        note('cdc-4 joined');
      }
      alive();
      await sleep(1_000);
    }

    ownEnds = await topicEnds(new RegExp(`^${tag.replace('.', '\\.')}`));
    let previous = -1;
    await waitFor(
      async () => {
        alive();
        const lagging = behind(await groupOffsets(pool, groupId), ownEnds);
        const rows = await runRowCount(pool, prefix);
        const settled = lagging.length === 0 && rows === previous;
        previous = rows;
        return settled;
      },
      240_000,
      'the group to read every own topic to its end',
    );
    note('all read');
    const members = await pool.query<{ instance: string }>(`select instance from cdc_member where group_id = $1`, [
      groupId,
    ]);
    note(`members recorded: ${members.rows.map((r) => r.instance).join(',')}`);
    console.info(`cdcScaleOut: seed ${seed}; ${timeline.join('; ')}`);
  }, 600_000);

  afterAll(async () => {
    for (const p of procs.values()) if (!p.hasExited()) p.signal('SIGKILL');
    await Promise.all([...procs.values()].map((p) => p.exited));
    // The test's own topics are left to the broker's retention: deleting topics while other tests' consumers
    // subscribe by pattern would only make them rebalance.
    await pool?.end();
    await db?.drop();
  });

  it('spread the partitions over the processes: each of the four took part', async () => {
    const { rows } = await pool.query<{ instance: string }>(
      `select instance from cdc_member where group_id = $1 order by instance`,
      [groupId],
    );
    expect(rows.map((r) => r.instance)).toEqual(['cdc-1', 'cdc-2', 'cdc-3', 'cdc-4']);
    expect([...ownEnds.keys()].filter((k) => k.endsWith(':2')).length).toBeGreaterThan(0);
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

  it('holds no record twice: one row per source row, one allocation per payment', async () => {
    const twice = await pool.query<{ kind: string; rows: number; sources: number }>(
      `with run as (
         select 'invoice' as kind, correlation_id from invoice where number like $1 || '%'
         union all select 'payment', correlation_id from payment where reference like $1 || '%'
         union all select 'journal_entry', correlation_id from journal_entry where number like $1 || '%'
         union all select 'vendor', v.correlation_id from vendor v where v.correlation_id in
           (select correlation_id from source_reference where object_type = 'VENDOR' and source_id like $1 || '%')
       )
       select kind, count(*)::int as rows, count(distinct correlation_id)::int as sources from run group by kind order by kind`,
      [prefix],
    );
    expect(twice.rows.map((r) => r.kind)).toEqual(['invoice', 'journal_entry', 'payment', 'vendor']);
    for (const row of twice.rows) expect(row).toEqual({ ...row, sources: row.rows });
    const allocations = await pool.query<{ payments: number; allocations: number }>(
      `select count(distinct p.id)::int as payments, count(a.payment_id)::int as allocations
         from payment p left join payment_allocation a on a.payment_id = p.id where p.reference like $1 || '%'`,
      [prefix],
    );
    expect(allocations.rows[0]).toEqual({
      payments: manifest.controls['billing.payment']!.count,
      allocations: manifest.controls['billing.payment']!.count,
    });
  });

  it('released every parked payment and raised no exception', async () => {
    const released = await pool.query<{ parked: number; released: number }>(
      `select count(distinct a.correlation_id) filter (where a.stage = 'PARKED')::int as parked,
              count(distinct a.correlation_id) filter (where a.stage = 'APPLIED')::int as released
         from audit_event a join payment p on p.correlation_id = a.correlation_id where p.reference like $1 || '%'`,
      [prefix],
    );
    expect(released.rows[0]).toEqual({
      parked: manifest.controls['billing.payment']!.count,
      released: manifest.controls['billing.payment']!.count,
    });
    // (The shared topics' range also holds other tests' events; only this run's rows are checked.)
    const parked = await pool.query(`select reason from parked_event where event::text like '%' || $1 || '%'`, [
      prefix,
    ]);
    expect(parked.rows).toEqual([]);
    const exceptions = await pool.query<{ code: string; message: string }>(
      `select code, message from exception where message like '%' || $1 || '%' or source_event::text like '%' || $1 || '%'`,
      [prefix],
    );
    expect(exceptions.rows).toEqual([]);
  });
});
