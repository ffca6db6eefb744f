/**
 * Replaying the change topics is a no-op. A fresh data set with one of each planted anomaly is seeded, and a few
 * of its invoices change twice more at the sources; the CDC pipeline (`startCdc`, as `npm start` runs it) applies
 * it all into a scratch canonical database. Then a second pipeline with a NEW consumer group re-reads the same
 * events from the same start over the SAME database: every change must be recognised as already applied by its
 * source position (not by a stored Kafka offset: the new group has none past the start), so the canonical rows
 * stay byte-identical (version, canonical_updated_at, status, amounts, source positions, exceptions), no
 * canonical change event is written to the outbox and nothing is applied or released again.
 *
 * Both groups start at the change topics' end offsets taken before seeding (stored in `consumer_offset`), so they
 * read this run's events and not the history of earlier runs. The replay reads up to where the first pass
 * stopped (its committed offsets), so events other work writes meanwhile cannot make the two passes differ.
 */
import mysql from 'mysql2/promise';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { loadReferenceData } from '../../canonical-schema/reference/loadReferenceData';
import { changeTopicPattern, loadCdcConfig } from '../../cdc/config';
import { kafkajsBroker } from '../../cdc/kafka/kafkajsBroker';
import { loadMappingRules } from '../../cdc/mapping/loadMappingRules';
import { runPipeline, type PipelineStats, type RunningPipeline } from '../../cdc/pipeline/runPipeline';
import { startCdc, type RunningCdc } from '../../cdc/startCdc';
import { loadValidationRules } from '../../cdc/validation/validate';
import type { Manifest } from '../../stack/seed/manifest';
import { boundedBroker } from '../support/boundedBroker';
import { canonicalFingerprint, fingerprintDiff, type CanonicalFingerprint } from '../support/canonicalFingerprint';
import {
  behind,
  changeTopicEnds,
  groupOffsets,
  messagesBetween,
  quietChangeTopicEnds,
  storeGroupOffsets,
  topicEnds,
  type PartitionOffsets,
} from '../support/changeTopicOffsets';
import { expectedTotals, runQueries, runRowCount, totalsByCurrency, type CurrencyTotals } from '../support/runControls';
import { freshSeed, runSeed } from '../support/runSeed';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { stackEnv } from '../support/stackEnv';
import { waitFor } from '../support/waitFor';

const SIZE = 150;
/** Clean supplier invoices (PI-…) and billing invoices (INV-…) of the run that change again after the seed. */
const UPDATED = ['000002', '000003', '000004'];

const seed = freshSeed();
const prefix = `S${seed}-`;
const updatedNumbers = UPDATED.flatMap((n) => [`${prefix}INV-${n}`, `${prefix}PI-${n}`]).sort();
const firstGroup = `finsync-test-replay-${seed}`;
const replayGroup = `finsync-test-replay-${seed}-again`;
const processed = (stats: PipelineStats) =>
  Object.entries(stats).reduce((n, [outcome, count]) => (outcome === 'ALREADY_APPLIED' ? n : n + count), 0);

describe('CDC pipeline: replaying every change topic with a new consumer group changes nothing', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let manifest: Manifest;
  let start: PartitionOffsets;
  let firstRead: PartitionOffsets;
  let cdc: RunningCdc | undefined;
  let replay: { pipeline: RunningPipeline; pool: Pool } | undefined;
  let before: CanonicalFingerprint;
  let after: CanonicalFingerprint;
  let firstStats: PipelineStats;
  let firstPass: {
    receivables: CurrencyTotals;
    payments: CurrencyTotals;
    exceptions: number;
    updated: { number: string; version: number; days: number; operation: string }[];
  };
  let replayStats: PipelineStats;
  const skippedSamples: number[] = [];
  const counts = { outboxBefore: 0, outboxAfter: 0, reappliedAudit: -1, deadLettersReplayed: 0 };

  const count = async (sql: string, params: unknown[] = []) =>
    (await pool.query<{ n: number }>(sql, params)).rows[0]!.n;
  const deadLetterEnd = async () => {
    const dlq = loadCdcConfig({}).deadLetterTopic;
    const ends = await topicEnds(new RegExp(`^${dlq.replace(/\./g, '\\.')}$`));
    return messagesBetween(new Map(), ends);
  };

  /**
   * Later changes at the sources, so that the replay also meets updates: each of these supplier and billing
   * invoices gets a new due date twice, in two transactions (canonical version 3 after the first pass). Replaying
   * must skip the insert and both updates; applying the insert again would also put the old due date back.
   */
  const changeLater = async (numbers: readonly string[]) => {
    const pg = new Client(stackEnv.procurementPg);
    await pg.connect();
    try {
      for (const days of [7, 14]) {
        await pg.query(
          `update supplier_invoice set due_date = invoice_date + $2::int, updated_at = now() where number = any($1)`,
          [numbers.map((n) => `${prefix}PI-${n}`), days],
        );
      }
    } finally {
      await pg.end();
    }
    const my = await mysql.createConnection(stackEnv.billingMariadb);
    try {
      for (const days of [7, 14]) {
        await my.query(`update invoice set due_date = date_add(issue_date, interval ? day) where number in (?)`, [
          days,
          numbers.map((n) => `${prefix}INV-${n}`),
        ]);
      }
    } finally {
      await my.end();
    }
  };

  /** The pipeline exactly as startCdc builds it, minus the outbox relay, reading no further than `ends`. */
  const startReplay = async (ends: PartitionOffsets) => {
    const config = { ...loadCdcConfig({}), databaseUrl: db.url, groupId: replayGroup };
    await migrateCanonicalSchema(config.databaseUrl);
    const replayPool = new Pool({ connectionString: config.databaseUrl, max: 8 });
    await loadReferenceData(replayPool);
    const pipeline = await runPipeline({
      pool: replayPool,
      broker: boundedBroker(kafkajsBroker({ brokers: config.kafkaBrokers, clientId: 'finsync-test-replay' }), ends),
      groupId: config.groupId,
      topics: [changeTopicPattern(config.systems)],
      deadLetterTopic: config.deadLetterTopic,
      mappingRules: loadMappingRules(),
      validationRules: loadValidationRules(),
      logger: pino({ level: 'warn' }),
    });
    return { pipeline, pool: replayPool };
  };

  /**
   * Waits until the group has read up to `ends` (offsets are committed with what they applied) and `state` holds
   * still between two looks.
   */
  const readToEnd = async (groupId: string, ends: PartitionOffsets, state: () => Promise<string>) => {
    let previous = '';
    await waitFor(
      async () => {
        const lagging = behind(await groupOffsets(pool, groupId), ends);
        const now = `${lagging.length}|${await state()}`;
        const settled = lagging.length === 0 && now === previous;
        previous = now;
        return settled;
      },
      150_000,
      `consumer group ${groupId} to read to the end`,
    );
  };

  beforeAll(async () => {
    const t0 = Date.now();
    db = await scratchDatabase('cdcreplay');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    start = await changeTopicEnds();
    await storeGroupOffsets(pool, firstGroup, start);
    await storeGroupOffsets(pool, replayGroup, start);
    manifest = await runSeed(['--size', String(SIZE), '--anomalies'], seed);
    await changeLater(UPDATED);

    // First pass: the CDC side as npm start runs it, until it has read everything and holds still.
    cdc = await startCdc({ ...loadCdcConfig({}), databaseUrl: db.url, groupId: firstGroup }, pino({ level: 'warn' }));
    const runEnds = await quietChangeTopicEnds(3_000, 60_000);
    await readToEnd(firstGroup, runEnds, async () => String(await runRowCount(pool, prefix)));
    firstStats = { ...cdc.stats };
    await cdc.stop();
    cdc = undefined;
    firstRead = await groupOffsets(pool, firstGroup);
    before = await canonicalFingerprint(pool);
    firstPass = {
      receivables: await totalsByCurrency(pool, runQueries.receivables, prefix),
      payments: await totalsByCurrency(pool, runQueries.payments, prefix),
      exceptions: await count(
        `select count(*)::int as n from exception where message like '%' || $1 || '%' or code = 'POISON_MESSAGE'`,
        [prefix],
      ),
      updated: (
        await pool.query<{ number: string; version: number; days: number; operation: string }>(
          `select i.number, i.version, (i.due_date - i.issue_date)::int as days, r.last_operation as operation
             from invoice i join source_reference r on r.canonical_id = i.id
            where i.number = any($1) order by i.number`,
          [updatedNumbers],
        )
      ).rows,
    };
    counts.outboxBefore = await count(`select count(*)::int as n from outbox`);
    const lastAudit = await count(`select coalesce(max(id), 0)::int as n from audit_event`);
    const deadLettersBefore = await deadLetterEnd();
    const firstSeconds = (Date.now() - t0) / 1000;

    // Replay: a new group over the same database and the same offset range.
    replay = await startReplay(firstRead);
    const stats = replay.pipeline.stats;
    await readToEnd(replayGroup, firstRead, async () => {
      skippedSamples.push(stats.SKIPPED);
      return JSON.stringify(stats);
    });
    replayStats = { ...replay.pipeline.stats };
    await replay.pipeline.stop();
    await replay.pool.end();
    replay = undefined;
    after = await canonicalFingerprint(pool);
    counts.outboxAfter = await count(`select count(*)::int as n from outbox`);
    counts.reappliedAudit = await count(
      `select count(*)::int as n from audit_event where id > $1 and (stage = 'APPLIED' or detail->'stages' ? 'RELEASED')`,
      [lastAudit],
    );
    counts.deadLettersReplayed = (await deadLetterEnd()) - deadLettersBefore;
    console.info(
      `cdcReplay: seed ${seed}, ${messagesBetween(start, firstRead)} change events; first pass ${JSON.stringify(firstStats)} ` +
        `in ${firstSeconds.toFixed(1)} s; replay ${JSON.stringify(replayStats)} in ` +
        `${((Date.now() - t0) / 1000 - firstSeconds).toFixed(1)} s; ${JSON.stringify(counts)}`,
    );
  }, 420_000);

  afterAll(async () => {
    await cdc?.stop();
    await replay?.pipeline.stop();
    await replay?.pool.end();
    await pool?.end();
    await db?.drop();
  });

  it('first applies the run: its records with their control totals, its planted exceptions, the later changes', () => {
    expect(firstPass.receivables).toEqual(expectedTotals(manifest, 'billing.invoice'));
    expect(firstPass.payments).toEqual(expectedTotals(manifest, 'billing.payment'));
    expect(firstPass.exceptions).toBeGreaterThanOrEqual(
      manifest.anomalies.filter((a) => a.expectedException && a.raisedBy === 'pipeline').length,
    );
    expect(before.tables.parked_event!.rows).toBeGreaterThan(0);
    // The later changes were applied: the second new due date, from the last update. Version 3 when the insert and
    // both updates were applied one by one; lower when the insert was parked (its invoice waiting for the customer
    // or vendor) and the updates replaced the parked change before it was applied; one more when a payment that
    // arrived after them changed the invoice's balance.
    expect(firstPass.updated).toEqual(
      updatedNumbers.map((number) => ({ number, version: expect.any(Number), days: 14, operation: 'update' })),
    );
    for (const row of firstPass.updated) expect([1, 2, 3, 4]).toContain(row.version);
  });

  it('re-reads every event of the first pass, and skips each applied one by its source position', () => {
    expect(messagesBetween(start, firstRead)).toBeGreaterThan(1_000);
    // The same messages went through both passes (outcomes summed; redeliveries would only add).
    expect(processed(replayStats)).toBeGreaterThanOrEqual(messagesBetween(start, firstRead));
    // Only a delete of a row never applied counts as APPLIED on both passes (there is nothing to do for it).
    expect(replayStats.SKIPPED + replayStats.APPLIED).toBeGreaterThanOrEqual(firstStats.APPLIED);
    expect(replayStats.SKIPPED).toBeGreaterThan(messagesBetween(start, firstRead) / 2);
    expect(skippedSamples[skippedSamples.length - 1]).toBe(replayStats.SKIPPED);
    // What was not applied is looked at again and ends the same way (its exception and parked change are the
    // same rows, see the fingerprint). REJECTED and PARKED counts may differ from the first pass: there a change
    // parked until its prerequisite arrived was rejected on release, which counts as PARKED.
    expect(replayStats.POISON).toBe(firstStats.POISON);
    expect(replayStats.IGNORED).toBe(firstStats.IGNORED);
  });

  it('leaves every canonical row byte-identical: versions, timestamps, status, amounts, positions, exceptions', () => {
    expect(fingerprintDiff(before, after)).toEqual([]);
    expect(after.tables).toEqual(before.tables);
  });

  it('writes no canonical change event and applies or releases nothing again', () => {
    expect(counts.outboxAfter).toBe(counts.outboxBefore);
    expect(counts.reappliedAudit).toBe(0);
  });
});
