/**
 * Raw Kafka throughput of kafkajs on this machine, against Kafka's own Java perf tools as the baseline.
 *
 * Each repeat creates two fresh one-partition topics and, alternating which side goes first:
 *  - produce N copies of a real Debezium event (key + value from the Postgres fixture) with kafkajs, and the
 *    same number of records of the same size with `ProducerPerformance`;
 *  - consume the kafkajs-produced topic to the end with a fresh kafkajs consumer group (eachBatch) and with
 *    `ConsumerPerformance` in another fresh group, so both consumers read identical records on disk;
 * then deletes both topics and groups. Medians over the repeats are reported, with each run kept.
 *
 * kafkajs is used directly, not through `cdc/kafka`: this measures the client itself. `MessageBroker`'s
 * producer is idempotent with one request in flight and its consumer copies every message into a new object;
 * both are finsync choices on top of the client, and the benchmark needs the admin API and the consumer's
 * GROUP_JOIN event, which `MessageBroker` does not expose.
 *
 * Env: BENCH_KAFKA_MESSAGES (default 50,000), BENCH_KAFKA_BATCH (messages per kafkajs send; default: what fits
 * in ~800 KB), BENCH_KAFKA_IN_FLIGHT (concurrent sends, default 5), BENCH_KAFKA_TIMEOUT_S (per phase, default
 * 300). Talks only to the broker on 127.0.0.1:9092 (`bash stack/kafka/up.sh`).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, type Admin, type Message } from 'kafkajs';
import type { BenchmarkOptions, BenchmarkResult, JsonValue } from './Benchmark';
import { checkKafkaTools, consumerPerformance, producerPerformance } from './lib/kafkaTools';
import { envInt, median, round } from './lib/stats';

export const description = 'kafkajs produce/consume throughput vs Kafka ProducerPerformance/ConsumerPerformance';

const BROKER = '127.0.0.1:9092';
const FIXTURE = path.resolve(__dirname, '..', 'cdc', 'envelope', '__fixtures__', 'postgres-insert-update-delete.json');
/**
 * kafkajs sends each `send()` as one record batch per partition, and the broker rejects a batch larger than
 * message.max.bytes (1 MiB by default): 500 Debezium events of ~4 KB would be refused, so the default batch
 * is what fits in ~800 KB (≈200 events). The Java producer gets the same batch.size in bytes.
 */
const MAX_SEND_BYTES = 800_000;
const MiB = 2 ** 20;

interface Payload {
  readonly key: Buffer;
  readonly value: Buffer;
  /** key + value bytes: what both tools count as data, and the Java records' size. */
  readonly bytes: number;
}

/** The first record with a value in the Debezium Postgres fixture (a JSON array of captured Kafka records). */
function loadPayload(): Payload {
  const records: unknown = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  if (!Array.isArray(records)) throw new Error(`${FIXTURE}: expected a JSON array`);
  for (const r of records as unknown[]) {
    const { key, value } = (r ?? {}) as { key?: unknown; value?: unknown };
    if (typeof value === 'string') {
      const k = Buffer.from(typeof key === 'string' ? key : '', 'utf8');
      const v = Buffer.from(value, 'utf8');
      return { key: k, value: v, bytes: k.length + v.length };
    }
  }
  throw new Error(`${FIXTURE}: no record with a non-null value`);
}

/** Rejects when `promise` does not settle within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface ProduceRun {
  readonly msgsPerSec: number;
  readonly MBps: number;
  readonly seconds: number;
}

interface ConsumeRun {
  /** Start (before connect/subscribe) to the last message, group join included. */
  readonly msgsPerSec: number;
  readonly MBps: number;
  readonly joinMs: number;
  /** After the join: the steady fetch phase. */
  readonly fetchMsgsPerSec: number;
  readonly fetchMBps: number;
}

interface Settings {
  readonly messages: number;
  readonly perSend: number;
  readonly inFlight: number;
  readonly timeoutMs: number;
}

async function kafkajsProduce(kafka: Kafka, topic: string, payload: Payload, s: Settings): Promise<ProduceRun> {
  // Not idempotent (kafkajs then allows one request in flight only); acks=all like the Java producer.
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const full: Message[] = Array.from({ length: s.perSend }, () => ({ key: payload.key, value: payload.value }));
    let queued = 0;
    const sender = async () => {
      while (queued < s.messages) {
        const count = Math.min(s.perSend, s.messages - queued);
        queued += count;
        await producer.send({ topic, acks: -1, messages: count === s.perSend ? full : full.slice(0, count) });
      }
    };
    const t0 = performance.now();
    await within(Promise.all(Array.from({ length: s.inFlight }, sender)), s.timeoutMs, 'kafkajs produce');
    const seconds = (performance.now() - t0) / 1000;
    const msgsPerSec = s.messages / seconds;
    return { msgsPerSec, MBps: (msgsPerSec * payload.bytes) / MiB, seconds };
  } finally {
    await producer.disconnect();
  }
}

async function kafkajsConsume(kafka: Kafka, topic: string, groupId: string, s: Settings): Promise<ConsumeRun> {
  // Client defaults, as finsync's consumer uses them: 1 MiB per partition per fetch, offsets committed after
  // every batch (the Java tool auto-commits every 5 s instead).
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  let joinedAt: number | undefined;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joinedAt ??= performance.now();
  });
  let count = 0;
  let bytes = 0;
  try {
    const t0 = performance.now();
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const done = new Promise<number>((resolve, reject) => {
      consumer
        .run({
          eachBatchAutoResolve: true,
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
            count += batch.messages.length;
            if (count >= s.messages) resolve(performance.now());
          },
        })
        .catch(reject);
    });
    const end = await within(done, s.timeoutMs, `kafkajs consume (${count}/${s.messages} read)`);
    if (count !== s.messages) throw new Error(`kafkajs consumed ${count} messages, expected ${s.messages}`);
    const join = (joinedAt ?? t0) - t0;
    const total = (end - t0) / 1000;
    const fetch = (end - (joinedAt ?? t0)) / 1000;
    return {
      msgsPerSec: count / total,
      MBps: bytes / MiB / total,
      joinMs: join,
      fetchMsgsPerSec: count / fetch,
      fetchMBps: bytes / MiB / fetch,
    };
  } finally {
    await consumer.disconnect();
  }
}

/** The partition's end offset, to check that a producer wrote exactly what it reported. */
async function endOffset(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const { log, repeats } = options;
  checkKafkaTools();
  const payload = loadPayload();
  const s: Settings = {
    messages: envInt('BENCH_KAFKA_MESSAGES', 50_000, 1, 2_000_000),
    perSend: envInt(
      'BENCH_KAFKA_BATCH',
      Math.max(1, Math.min(500, Math.floor(MAX_SEND_BYTES / payload.bytes))),
      1,
      10_000,
    ),
    inFlight: envInt('BENCH_KAFKA_IN_FLIGHT', 5, 1, 64),
    timeoutMs: envInt('BENCH_KAFKA_TIMEOUT_S', 300, 10, 3600) * 1000,
  };
  const batchBytes = s.perSend * payload.bytes;
  // Same request shape for both producers: acks=all, no compression, no idempotence, up to 5 requests in
  // flight, and a record batch of the size of one kafkajs send (the Java default of 16 KiB holds 4 events).
  const javaProducerProps = {
    acks: 'all',
    'enable.idempotence': 'false',
    'compression.type': 'none',
    'max.in.flight.requests.per.connection': String(s.inFlight),
    'batch.size': String(batchBytes),
    'linger.ms': '5',
  };
  log(
    `${s.messages} messages of ${payload.bytes} B (key ${payload.key.length} + value ${payload.value.length}); ` +
      `kafkajs ${s.perSend}/send, ${s.inFlight} in flight; Java batch.size ${batchBytes}`,
  );

  // ProducerPerformance sends keyless records of the payload file's content: the Debezium value, padded with
  // trailing spaces (still the same JSON) to key + value bytes, so both producers write the same bytes per record.
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'finsync-bench-kafka-'));
  const payloadFile = path.join(tmp, 'payload.json');
  if (payload.value.includes(0x0a)) throw new Error('the fixture value contains a newline (the tool splits on it)');
  writeFileSync(payloadFile, Buffer.concat([payload.value, Buffer.alloc(payload.key.length, 0x20)]));

  const kafka = new Kafka({
    clientId: 'finsync-bench',
    brokers: [BROKER],
    connectionTimeout: 3_000,
    logLevel: logLevel.ERROR,
    retry: { retries: 3 },
  });
  const admin = kafka.admin();
  try {
    await within(admin.connect(), 15_000, `connect to ${BROKER} (is it up? bash stack/kafka/up.sh)`);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }

  const loadAtStart = os.loadavg()[0] ?? 0;
  const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const js = { produce: [] as ProduceRun[], consume: [] as ConsumeRun[] };
  const java = { produce: [] as ProduceRun[], consume: [] as ConsumeRun[] };
  try {
    for (let i = 0; i < repeats; i++) {
      const jsFirst = i % 2 === 0;
      const topics = { js: `bench-kafka-raw-${runId}-${i}-kafkajs`, java: `bench-kafka-raw-${runId}-${i}-java` };
      const groups = { js: `${topics.js}-g-kafkajs`, java: `${topics.js}-g-java` };
      await admin.createTopics({
        topics: [topics.js, topics.java].map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
        waitForLeaders: true,
      });
      try {
        const produceJs = async () => {
          const r = await kafkajsProduce(kafka, topics.js, payload, s);
          const written = await endOffset(admin, topics.js);
          if (written !== s.messages)
            throw new Error(`kafkajs: ${written} messages on the topic, expected ${s.messages}`);
          js.produce.push(r);
          log(`#${i + 1} produce kafkajs ${round(r.msgsPerSec)} msg/s, ${round(r.MBps, 2)} MiB/s`);
        };
        const produceJava = async () => {
          const r = await producerPerformance({
            bootstrap: BROKER,
            topic: topics.java,
            records: s.messages,
            payloadFile,
            properties: javaProducerProps,
            timeoutMs: s.timeoutMs,
          });
          const written = await endOffset(admin, topics.java);
          if (written !== s.messages) throw new Error(`Java: ${written} records on the topic, expected ${s.messages}`);
          java.produce.push({ msgsPerSec: r.recordsPerSec, MBps: r.mbPerSec, seconds: s.messages / r.recordsPerSec });
          log(`#${i + 1} produce Java    ${round(r.recordsPerSec)} msg/s, ${round(r.mbPerSec, 2)} MiB/s`);
        };
        const consumeJs = async () => {
          const r = await kafkajsConsume(kafka, topics.js, groups.js, s);
          js.consume.push(r);
          log(`#${i + 1} consume kafkajs ${round(r.fetchMsgsPerSec)} msg/s after a ${round(r.joinMs)} ms join`);
        };
        const consumeJava = async () => {
          const r = await consumerPerformance({
            bootstrap: BROKER,
            topic: topics.js,
            group: groups.java,
            records: s.messages,
            timeoutMs: s.timeoutMs,
          });
          java.consume.push({
            msgsPerSec: r.recordsPerSec,
            MBps: r.mbPerSec,
            joinMs: r.rebalanceMs,
            fetchMsgsPerSec: r.fetchRecordsPerSec,
            fetchMBps: r.fetchMbPerSec,
          });
          log(`#${i + 1} consume Java    ${round(r.fetchRecordsPerSec)} msg/s after a ${r.rebalanceMs} ms join`);
        };
        for (const step of jsFirst ? [produceJs, produceJava] : [produceJava, produceJs]) {
          await step();
          await pause(1_000);
        }
        for (const step of jsFirst ? [consumeJs, consumeJava] : [consumeJava, consumeJs]) {
          await step();
          await pause(1_000);
        }
      } finally {
        await admin.deleteTopics({ topics: [topics.js, topics.java] }).catch((err: unknown) => {
          log(`could not delete ${topics.js}, ${topics.java}: ${String(err)}`);
        });
        await admin.deleteGroups([groups.js, groups.java]).catch(() => undefined);
      }
      // Let the broker finish deleting ~2 × 200 MB of log before the next repeat.
      await pause(3_000);
    }
  } finally {
    await admin.disconnect();
    rmSync(tmp, { recursive: true, force: true });
  }

  const summarize = (side: typeof js) => {
    const m = (values: number[], digits: number) => round(median(values), digits);
    const produceMsgs = side.produce.map((r) => r.msgsPerSec);
    const consumeMsgs = side.consume.map((r) => r.fetchMsgsPerSec);
    return {
      produceMsgsPerSec: m(produceMsgs, 1),
      produceMBps: m(
        side.produce.map((r) => r.MBps),
        2,
      ),
      consumeMsgsPerSec: m(consumeMsgs, 1),
      consumeMBps: m(
        side.consume.map((r) => r.fetchMBps),
        2,
      ),
      consumeJoinMs: m(
        side.consume.map((r) => r.joinMs),
        0,
      ),
      consumeWithJoinMsgsPerSec: m(
        side.consume.map((r) => r.msgsPerSec),
        1,
      ),
      consumeWithJoinMBps: m(
        side.consume.map((r) => r.MBps),
        2,
      ),
      runs: {
        produceMsgsPerSec: produceMsgs.map((v) => round(v, 1)),
        produceMBps: side.produce.map((r) => round(r.MBps, 2)),
        consumeMsgsPerSec: consumeMsgs.map((v) => round(v, 1)),
        consumeMBps: side.consume.map((r) => round(r.fetchMBps, 2)),
        consumeJoinMs: side.consume.map((r) => round(r.joinMs, 0)),
        consumeWithJoinMsgsPerSec: side.consume.map((r) => round(r.msgsPerSec, 1)),
      },
    };
  };
  const metrics = summarize(js);
  const baseline = summarize(java);
  const setup: { [key: string]: JsonValue } = {
    messages: s.messages,
    messageBytes: payload.bytes,
    keyBytes: payload.key.length,
    valueBytes: payload.value.length,
    repeats,
    kafkajsMessagesPerSend: s.perSend,
    kafkajsSendsInFlight: s.inFlight,
    // Other work on this shared machine shows up here (2 cores: a load above 2 means a queue).
    loadAvg1mAtStart: round(loadAtStart, 2),
    loadAvg1mAtEnd: round(os.loadavg()[0] ?? 0, 2),
  };
  return {
    metrics: {
      client: 'kafkajs 2.2.4',
      ...metrics,
      produceRatio: round(metrics.produceMsgsPerSec / baseline.produceMsgsPerSec, 3),
      consumeRatio: round(metrics.consumeMsgsPerSec / baseline.consumeMsgsPerSec, 3),
      setup,
    },
    baseline: {
      client: 'org.apache.kafka:kafka-tools 4.3.0 (ProducerPerformance, ConsumerPerformance), JDK 17',
      ...baseline,
      javaProducerProps,
    },
    ratio: round(metrics.consumeMsgsPerSec / baseline.consumeMsgsPerSec, 3),
    notes:
      'ratio = kafkajs consume msgs/s ÷ Java ConsumerPerformance msgs/s, both in the fetch phase after the group ' +
      'join (ConsumerPerformance fetch.nMsg.sec; kafkajs from GROUP_JOIN to the last message). consumeWithJoin* ' +
      'include the join, timed from before connect as ConsumerPerformance does. Both consumers read the same ' +
      'kafkajs-produced topic. produceRatio = kafkajs ÷ ProducerPerformance msgs/s (first send to last ack). ' +
      'MBps = 2^20 bytes of record key + value per second, the unit the Java tools print. kafkajs runs in the ' +
      'long-lived bench process (JIT-warm after run 1); each Java run is a fresh JVM (startup excluded from its ' +
      'times, JIT warm-up included). Broker, client and tools share the machine, so these are client+broker ' +
      'numbers for this host, not client-only ceilings.',
  };
}
