/**
 * One pass of finsync's CDC pipeline over fixed Kafka offset ranges, in this process, against a scratch
 * canonical database: migrate it, store the ranges' start offsets in `consumer_offset` for a fresh group (the
 * pipeline reads them at start and seeks there), `startCdc` (migrations, reference data, the pipeline and the
 * outbox relay, exactly as `npm start` runs them), then wait until the pipeline has committed every range's
 * end offset. The clock runs from the first batch's `begin` to the commit that stores the last end offset:
 * start-up and the group join are excluded, validation, audit, outbox, exceptions and offsets are included.
 *
 * Also runnable as a child process (for `node --cpu-prof`): `cdcPipelinePass.ts <options.json> <result.json>`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { Client } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { loadCdcConfig } from '../../cdc/config';
import type { PipelineStats } from '../../cdc/pipeline/runPipeline';
import { startCdc, type RunningCdc } from '../../cdc/startCdc';
import { cpuBetween, cpuSnapshot, type CpuUse } from './cpuAccounting';
import { eventsIn, RangeProgress, type PartitionRange } from './offsetRanges';
import { restrictGroupToRanges } from './rangeFilter';
import { createScratchDb, ADMIN_URL } from './scratchDb';
import {
  recordSql,
  statementTable,
  targetTable,
  type SqlBucket,
  type StatementRow,
  type TableRow,
} from './sqlRecorder';
import { hrMicros, within } from './time';

export interface PipelinePassOptions {
  readonly label: string;
  readonly ranges: readonly PartitionRange[];
  readonly groupId: string;
  /** The outbox relay publishes here (a bench topic, not the real canonical events topic). */
  readonly eventsTopic: string;
  readonly deadLetterTopic: string;
  readonly timeoutMs: number;
}

export interface SqlSummary {
  readonly statementsPerEvent: number;
  readonly transactions: number;
  readonly rolledBack: number;
  /** Summed statement round-trip time per event, ms. */
  readonly sqlMsPerEvent: number;
  /** Summed statement time ÷ the measured wall time (the pipeline sends one statement at a time). */
  readonly sqlShareOfWall: number;
  readonly distinctStatements: number;
  /** Grouped by what they do to which table. */
  readonly byTarget: TableRow[];
  readonly byStatement: StatementRow[];
}

export interface PipelinePassResult {
  readonly label: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
  /** startCdc (migrations, reference data, topics, consumer) + group join; not in `seconds`. */
  readonly startupSeconds: number;
  readonly outcomes: PipelineStats;
  /** Sum of the outcomes (ALREADY_APPLIED excluded): every event of the ranges once. */
  readonly outcomesTotal: number;
  /** Rows the pass left in the canonical database, per event. */
  readonly rowsPerEvent: Record<string, number>;
  readonly sql: SqlSummary;
  readonly relaySql: { readonly transactions: number; readonly statements: number };
  readonly cpu: CpuUse;
  readonly loadAvg1mAtStart: number;
  /** The measured window on the hrtime clock, µs (to cut a CPU profile of this process to it). */
  readonly window: { readonly startUs: number; readonly endUs: number };
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

function summariseSql(bucket: SqlBucket, events: number, wallMs: number): SqlSummary {
  return {
    statementsPerEvent: round(bucket.statements / events, 2),
    transactions: bucket.transactions,
    rolledBack: bucket.rolledBack,
    sqlMsPerEvent: round(bucket.ms / events, 3),
    sqlShareOfWall: round(bucket.ms / wallMs, 3),
    distinctStatements: bucket.byStatement.size,
    byTarget: targetTable(bucket, events),
    byStatement: statementTable(bucket, events, 40),
  };
}

export async function pipelinePass(
  options: PipelinePassOptions,
  log: (line: string) => void,
): Promise<PipelinePassResult> {
  const { ranges, label } = options;
  const events = eventsIn(ranges);
  const loadAvg1mAtStart = round(os.loadavg()[0] ?? 0, 2);
  const db = await createScratchDb('cdc_pipeline');
  const admin = new Client({ connectionString: ADMIN_URL, application_name: 'finsync-bench' });
  await admin.connect();
  let cdc: RunningCdc | undefined;
  const unrestrict = restrictGroupToRanges(options.groupId, ranges);
  try {
    await migrateCanonicalSchema(db.url);
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      await c.query(
        `insert into consumer_offset (group_id, topic, partition, next_offset)
         select $1, * from unnest($2::text[], $3::int[], $4::bigint[])`,
        [options.groupId, ranges.map((r) => r.topic), ranges.map((r) => r.partition), ranges.map((r) => r.start)],
      );
    } finally {
      await c.end();
    }

    const progress = new RangeProgress(ranges);
    let doneAt: number | undefined;
    let markDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (markDone = resolve));
    const sql = recordSql(db.name, (offsets, at) => {
      for (const o of offsets) progress.advance(o.topic, o.partition, o.next);
      if (progress.complete && doneAt === undefined) {
        doneAt = at;
        markDone();
      }
    });

    const config = {
      ...loadCdcConfig({}),
      databaseUrl: db.url,
      groupId: options.groupId,
      eventsTopic: options.eventsTopic,
      deadLetterTopic: options.deadLetterTopic,
    };
    const logger = pino({ level: 'warn', base: { bench: label } }, pino.destination(2));
    const t0 = performance.now();
    cdc = await startCdc(config, logger, { startAt: 'latest' });
    await cdc.joined;
    const startupSeconds = (performance.now() - t0) / 1000;
    const before = await cpuSnapshot(admin, db.name);
    log(`${label}: started in ${round(startupSeconds, 1)} s; applying ${events} events`);

    const stats = cdc.stats;
    const ticker = setInterval(() => {
      log(`${label}: ${progress.processed(ranges)}/${events} committed; outcomes ${JSON.stringify(stats)}`);
    }, 15_000);
    try {
      await within(done, options.timeoutMs, () => `${label}: ${progress.processed(ranges)}/${events} committed`);
    } finally {
      clearInterval(ticker);
    }
    const after = await cpuSnapshot(admin, db.name);
    sql.stop();
    // The pipeline adds a batch's outcome counts right after its commit returns, i.e. after the commit hook
    // above: read them once that has run (no later batch comes: the consumer sees only the ranges).
    await new Promise((resolve) => setImmediate(resolve));
    const outcomes = { ...stats };
    const outcomesTotal = Object.entries(outcomes).reduce((n, [k, v]) => (k === 'ALREADY_APPLIED' ? n : n + v), 0);
    if (outcomesTotal !== events) log(`${label}: WARNING outcomes add up to ${outcomesTotal}, not ${events}`);
    const first = sql.firstPipelineBeginAt!;
    const wallMs = doneAt! - first;
    const seconds = wallMs / 1000;

    // What the pass wrote, and the stored offsets (the commit hook saw them; check the table agrees).
    const check = new Client({ connectionString: db.url });
    await check.connect();
    const rowsPerEvent: Record<string, number> = {};
    try {
      const { rows } = await check.query<{ topic: string; partition: number; next_offset: string }>(
        `select topic, partition, next_offset::text from consumer_offset where group_id = $1`,
        [options.groupId],
      );
      const stored = new Map(rows.map((r) => [`${r.topic}:${r.partition}`, BigInt(r.next_offset)]));
      for (const r of ranges) {
        if ((stored.get(`${r.topic}:${r.partition}`) ?? -1n) < BigInt(r.end)) {
          throw new Error(`${label}: consumer_offset for ${r.topic}:${r.partition} is below ${r.end}`);
        }
      }
      for (const table of ['audit_event', 'outbox', 'exception', 'parked_event', 'source_reference']) {
        const { rows: n } = await check.query<{ n: number }>(`select count(*)::int as n from ${table}`);
        rowsPerEvent[table] = round((n[0]?.n ?? 0) / events, 3);
      }
    } finally {
      await check.end();
    }

    return {
      label,
      events,
      seconds: round(seconds, 3),
      eventsPerSec: round(events / seconds, 1),
      startupSeconds: round(startupSeconds, 2),
      outcomes,
      outcomesTotal,
      rowsPerEvent,
      sql: summariseSql(sql.pipeline, events, wallMs),
      relaySql: { transactions: sql.relay.transactions, statements: sql.relay.statements },
      cpu: cpuBetween(before, after, os.cpus().length),
      loadAvg1mAtStart,
      window: { startUs: Math.round(hrMicros(first)), endUs: Math.round(hrMicros(doneAt!)) },
    };
  } finally {
    await cdc?.stop().catch((err: unknown) => log(`${label}: stopping the pipeline failed: ${String(err)}`));
    unrestrict();
    await admin.end();
    await db.drop();
  }
}

// Child-process entry, for the profiled pass.
if (require.main === module) {
  const [optionsFile, resultFile] = process.argv.slice(2);
  if (!optionsFile || !resultFile) {
    process.stderr.write('usage: cdcPipelinePass.ts <options.json> <result.json>\n');
    process.exit(2);
  }
  const options = JSON.parse(readFileSync(optionsFile, 'utf8')) as PipelinePassOptions;
  pipelinePass(options, (line) => process.stderr.write(`${line}\n`)).then(
    (result) => {
      writeFileSync(resultFile, JSON.stringify(result));
      // Exit explicitly (a client library may keep a timer): --cpu-prof still writes the profile.
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
