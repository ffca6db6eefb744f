/**
 * The ceiling for the CDC pipeline: the same offset ranges consumed with kafkajs (the same client settings as
 * finsync's `kafkajsBroker`, a fresh group, the same topic pattern, seeking to the ranges' starts on join),
 * each message's value `JSON.parse`d, and each batch bulk-inserted with ONE multi-row `insert … values` as
 * topic / partition / offset / raw value text into a plain table (no index, no constraint) of a
 * scratch database. No decoding, mapping, validation, audit, outbox or offsets in Postgres. Same clock as the
 * pipeline: from the first batch to the insert that holds the last end offset.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { FETCH_SETTINGS } from '../../cdc/kafka/kafkajsBroker';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { cpuBetween, cpuSnapshot, type CpuUse } from './cpuAccounting';
import { eventsIn, RangeProgress, rangeKey, type PartitionRange } from './offsetRanges';
import { ADMIN_URL, createScratchDb } from './scratchDb';
import { within } from './time';

export interface RawPassOptions {
  readonly label: string;
  readonly brokers: readonly string[];
  readonly ranges: readonly PartitionRange[];
  readonly topics: RegExp;
  readonly groupId: string;
  readonly timeoutMs: number;
}

export interface RawPassResult {
  readonly label: string;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSec: number;
  readonly startupSeconds: number;
  readonly batches: number;
  readonly meanBatchSize: number;
  readonly valueBytes: number;
  readonly insertMsPerEvent: number;
  readonly cpu: CpuUse;
  readonly loadAvg1mAtStart: number;
}

/**
 * One multi-row insert per batch (kafkajs hands over ~1 MiB per partition, ~220 of these events), each value its
 * own text parameter. (An `unnest($n::text[])` of the values was tried first: pg serialises a text array as one
 * escaped literal, and escaping and measuring ~1 MB strings cost more than everything else the ceiling does.)
 */
const ROWS_PER_INSERT = 5_000;

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

export async function rawPass(options: RawPassOptions, log: (line: string) => void): Promise<RawPassResult> {
  const { ranges, label } = options;
  const events = eventsIn(ranges);
  const starts = new Map(ranges.map((r) => [rangeKey(r.topic, r.partition), BigInt(r.start)]));
  const ends = new Map(ranges.map((r) => [rangeKey(r.topic, r.partition), BigInt(r.end)]));
  const loadAvg1mAtStart = round(os.loadavg()[0] ?? 0, 2);
  const db = await createScratchDb('cdc_raw');
  const admin = new Client({ connectionString: ADMIN_URL, application_name: 'finsync-bench' });
  await admin.connect();
  const pg = new Client({ connectionString: db.url, application_name: 'finsync-bench-raw' });
  const kafka = new Kafka({
    clientId: 'finsync-bench-raw',
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 300, retries: 8 },
  });
  const consumer = kafka.consumer({ groupId: options.groupId, ...FETCH_SETTINGS });
  try {
    await pg.connect();
    await pg.query(
      `create table raw_event (topic text not null, partition integer not null, "offset" bigint not null, value text)`,
    );

    const progress = new RangeProgress(ranges);
    let firstAt: number | undefined;
    let doneAt: number | undefined;
    let batches = 0;
    let valueBytes = 0;
    let insertMs = 0;
    let markDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (markDone = resolve));
    let markJoined: () => void = () => undefined;
    const joined = new Promise<void>((resolve) => (markJoined = resolve));

    const t0 = performance.now();
    await consumer.connect();
    await consumer.subscribe({ topics: [options.topics], fromBeginning: false });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions) {
          const start = starts.get(rangeKey(topic, partition));
          if (start !== undefined) consumer.seek({ topic, partition, offset: start.toString() });
        }
      }
      markJoined();
    });
    const running = consumer.run({
      eachBatchAutoResolve: true,
      eachBatch: async ({ batch }) => {
        const key = rangeKey(batch.topic, batch.partition);
        const start = starts.get(key);
        const end = ends.get(key);
        if (start === undefined || end === undefined) return;
        const inRange = batch.messages.filter((m) => {
          const o = BigInt(m.offset);
          return o >= start && o < end;
        });
        if (!inRange.length) return;
        firstAt ??= performance.now();
        const values: (string | null)[] = [];
        for (const m of inRange) {
          if (m.value === null) {
            values.push(null);
            continue;
          }
          const text = m.value.toString('utf8');
          valueBytes += m.value.length;
          JSON.parse(text);
          values.push(text);
        }
        const q0 = performance.now();
        for (let from = 0; from < inRange.length; from += ROWS_PER_INSERT) {
          const rows = inRange.slice(from, from + ROWS_PER_INSERT);
          const params: unknown[] = [batch.topic, batch.partition];
          const tuples = rows.map((m, i) => {
            params.push(m.offset, values[from + i]);
            return `($1, $2, $${params.length - 1}, $${params.length})`;
          });
          await pg.query(
            `insert into raw_event (topic, partition, "offset", value) values ${tuples.join(', ')}`,
            params,
          );
        }
        insertMs += performance.now() - q0;
        batches += 1;
        const last = inRange[inRange.length - 1]!;
        if (progress.advance(batch.topic, batch.partition, BigInt(last.offset) + 1n) && doneAt === undefined) {
          doneAt = performance.now();
          markDone();
        }
      },
    });
    running.catch((err: unknown) => log(`${label}: consumer stopped: ${String(err)}`));
    await within(joined, 60_000, () => `${label}: joining group ${options.groupId}`);
    const startupSeconds = (performance.now() - t0) / 1000;
    const before = await cpuSnapshot(admin, db.name);
    await within(done, options.timeoutMs, () => `${label}: ${progress.processed(ranges)}/${events} inserted`);
    const after = await cpuSnapshot(admin, db.name);

    const { rows } = await pg.query<{ n: number }>(`select count(*)::int as n from raw_event`);
    if (rows[0]?.n !== events) throw new Error(`${label}: ${rows[0]?.n} rows inserted, expected ${events}`);
    const seconds = (doneAt! - firstAt!) / 1000;
    return {
      label,
      events,
      seconds: round(seconds, 3),
      eventsPerSec: round(events / seconds, 1),
      startupSeconds: round(startupSeconds, 2),
      batches,
      meanBatchSize: round(events / batches, 1),
      valueBytes,
      insertMsPerEvent: round(insertMs / events, 4),
      cpu: cpuBetween(before, after, os.cpus().length),
      loadAvg1mAtStart,
    };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await pg.end().catch(() => undefined);
    await admin.end();
    await db.drop();
  }
}
