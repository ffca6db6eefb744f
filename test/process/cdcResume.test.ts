/**
 * Resuming after a crash (issue 16, item 1). A CDC process working through a backlog is SIGKILLed and a new process
 * of the same instance (`FINSYNC_INSTANCE`) is spawned at once: it evicts its dead predecessor from the consumer
 * group (the member id it recorded in `cdc_member`) instead of waiting for that member's session to expire, and
 * applies again. Measured: spawn → first batch committed by the new process, for the same instance (eviction) and,
 * as the baseline, for a process under another name (it must wait for the dead member's session). The figures are
 * printed, not asserted (a slow machine is not a failure, rule 4); what is asserted is that each new process resumes
 * and the run ends complete.
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
import { expectedTotals, runQueries, totalsByCurrency } from '../support/runControls';
import { freshSeed, runSeed } from '../support/runSeed';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { waitFor } from '../support/waitFor';

/** ~10,000 change events: a backlog the first process is still working through when it is killed. */
const SIZE = 1300;

const seed = freshSeed();
const prefix = `S${seed}-`;
const groupId = `finsync-test-resume-${seed}`;

interface Life {
  readonly instance: string;
  /** Spawn → first batch committed by this process. */
  readonly msToFirstCommit: number;
  /** Spawn → joined the consumer group (its log line). */
  readonly msToJoin?: number;
  readonly exit?: string;
}

describe('CDC process: a process started after a SIGKILL of its predecessor applies again at once', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let manifest: Manifest;
  let start: PartitionOffsets;
  let runEnds: PartitionOffsets;
  const procs: CdcProcess[] = [];
  const lives: Life[] = [];

  const committed = async () => messagesBetween(start, await groupOffsets(pool, groupId));
  const launch = (instance: string) => {
    const proc = startCdcProcess({
      FINSYNC_DATABASE_URL: db.url,
      FINSYNC_CDC_GROUP_ID: groupId,
      FINSYNC_INSTANCE: instance,
      FINSYNC_LOG_LEVEL: 'info',
      FINSYNC_LOG_FORMAT: 'json',
    });
    procs.push(proc);
    return proc;
  };
  /** Spawns a process and waits for its first commit; returns the time it took. */
  const resume = async (instance: string): Promise<{ proc: CdcProcess; ms: number; join?: number }> => {
    const before = await committed();
    const spawnedAt = Date.now();
    const proc = launch(instance);
    await waitFor(
      async () => {
        if (proc.hasExited()) throw new Error(`the CDC process exited on its own:\n${proc.output()}`);
        return (await committed()) > before;
      },
      60_000,
      `${instance} to commit a batch`,
      20,
    );
    return { proc, ms: Date.now() - spawnedAt, join: joinedAfter(proc, spawnedAt) };
  };
  /** From the process's JSON log: when it joined the group, after the spawn. */
  const joinedAfter = (proc: CdcProcess, spawnedAt: number): number | undefined => {
    const line = proc
      .output()
      .split('\n')
      .find((l) => l.includes('joined the consumer group'));
    return line ? (JSON.parse(line) as { time: number }).time - spawnedAt : undefined;
  };
  /** Waits until the group has committed more than `n` messages. */
  const committedMoreThan = (n: number) => waitFor(async () => (await committed()) > n, 60_000, 'a commit', 20);

  beforeAll(async () => {
    db = await scratchDatabase('cdcresume');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    start = await changeTopicEnds();
    await storeGroupOffsets(pool, groupId, start);
    manifest = await runSeed(['--size', String(SIZE)], seed);
    runEnds = await quietChangeTopicEnds(3_000, 120_000);

    // First life, then two kills each followed at once by a process of the same instance (it evicts its
    // predecessor), then one by a process under a new name (the baseline: it waits for the dead member's session).
    let { proc, ms, join } = await resume('cdc-1');
    lives.push({ instance: 'cdc-1', msToFirstCommit: ms, msToJoin: join });
    for (const instance of ['cdc-1', 'cdc-1', 'cdc-9']) {
      await committedMoreThan(await committed());
      proc.signal('SIGKILL');
      const exit = await proc.exited;
      ({ proc, ms, join } = await resume(instance));
      lives.push({ instance, msToFirstCommit: ms, msToJoin: join, exit: exit.signal ?? String(exit.code) });
    }
    await waitFor(
      async () => behind(await groupOffsets(pool, groupId), runEnds).length === 0,
      150_000,
      "the run's events to be read to their end",
    );
    proc.signal('SIGTERM');
    await proc.exited;
    console.info(
      `cdcResume: seed ${seed}, ${messagesBetween(start, runEnds)} change events; spawn → first commit: ` +
        lives.map((l) => `${l.instance} ${l.msToFirstCommit} ms (joined after ${l.msToJoin} ms)`).join(', '),
    );
  }, 400_000);

  afterAll(async () => {
    for (const p of procs) if (!p.hasExited()) p.signal('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    await pool?.end();
    await db?.drop();
  });

  it('resumes after every SIGKILL, with events of the run still to apply', async () => {
    expect(lives.map((l) => [l.instance, l.exit])).toEqual([
      ['cdc-1', undefined],
      ['cdc-1', 'SIGKILL'],
      ['cdc-1', 'SIGKILL'],
      ['cdc-9', 'SIGKILL'],
    ]);
    // Each restart recorded its own member id, so the next one can evict it.
    const members = await pool.query<{ instance: string }>(
      'select instance from cdc_member where group_id = $1 order by instance',
      [groupId],
    );
    expect(members.rows.map((r) => r.instance)).toEqual(['cdc-1', 'cdc-9']);
  });

  it('applied the whole run exactly once', async () => {
    const totals = (sql: string) => totalsByCurrency(pool, sql, prefix);
    expect(await totals(runQueries.receivables)).toEqual(expectedTotals(manifest, 'billing.invoice'));
    expect(await totals(runQueries.payments)).toEqual(expectedTotals(manifest, 'billing.payment'));
    expect(await totals(runQueries.payables)).toEqual(expectedTotals(manifest, 'procurement.supplier_invoice'));
    expect(await totals(runQueries.journalDebits)).toEqual(expectedTotals(manifest, 'payroll.payroll_journal'));
    const parked = await pool.query(`select 1 from parked_event where event::text like '%' || $1 || '%'`, [prefix]);
    expect(parked.rows).toEqual([]);
  });
});
