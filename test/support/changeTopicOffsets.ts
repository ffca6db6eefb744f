import { Kafka, logLevel } from 'kafkajs';
import type { Pool } from 'pg';
import { changeTopicPattern, loadCdcConfig } from '../../cdc/config';
import { stackEnv } from './stackEnv';

/** Offsets per partition, keyed `<topic>:<partition>`: where to start, or how far a group has read. */
export type PartitionOffsets = Map<string, bigint>;

export const partitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/**
 * The end offset (high watermark) of every partition of every Debezium change topic the CDC pipeline
 * subscribes to by default (`changeTopicPattern` of `FINSYNC_CDC_SYSTEMS`'s default).
 */
export async function changeTopicEnds(): Promise<PartitionOffsets> {
  return topicEnds(changeTopicPattern(loadCdcConfig({}).systems));
}

/** The end offset of every partition of the topics whose name matches. */
export async function topicEnds(pattern: RegExp): Promise<PartitionOffsets> {
  const kafka = new Kafka({ clientId: 'finsync-test', brokers: [...stackEnv.kafkaBrokers], logLevel: logLevel.WARN });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => pattern.test(t));
    const ends: PartitionOffsets = new Map();
    for (const topic of topics.sort()) {
      for (const p of await admin.fetchTopicOffsets(topic)) ends.set(partitionKey(topic, p.partition), BigInt(p.high));
    }
    return ends;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Stores start offsets for a consumer group in the canonical database's `consumer_offset` table (the schema must
 * be migrated). The pipeline treats these rows as what it has already applied: on start it seeks there and drops
 * anything below. Tests use it to begin a fresh group at the change topics' end offsets before seeding, so the
 * group reads this run's events and not the whole history of earlier runs (bench/lib/cdcPipelinePass.ts does the
 * same).
 */
export async function storeGroupOffsets(pool: Pool, groupId: string, offsets: PartitionOffsets): Promise<void> {
  const entries = [...offsets.entries()].map(([key, offset]) => {
    const at = key.lastIndexOf(':');
    return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)), offset: offset.toString() };
  });
  await pool.query(
    `insert into consumer_offset (group_id, topic, partition, next_offset)
     select $1, * from unnest($2::text[], $3::int[], $4::bigint[])`,
    [groupId, entries.map((e) => e.topic), entries.map((e) => e.partition), entries.map((e) => e.offset)],
  );
}

/** The group's stored offsets (the next offset to read, per partition), as the pipeline committed them. */
export async function groupOffsets(pool: Pool, groupId: string): Promise<PartitionOffsets> {
  const { rows } = await pool.query<{ topic: string; partition: number; next_offset: string }>(
    `select topic, partition, next_offset::text from consumer_offset where group_id = $1`,
    [groupId],
  );
  return new Map(rows.map((r) => [partitionKey(r.topic, r.partition), BigInt(r.next_offset)]));
}

/** Partitions where `read` is still below `ends` (a partition missing from `read` counts from 0). */
export function behind(read: PartitionOffsets, ends: PartitionOffsets): string[] {
  return [...ends.entries()]
    .filter(([key, end]) => (read.get(key) ?? 0n) < end)
    .map(([key, end]) => `${key} at ${read.get(key) ?? 0n}/${end}`);
}

/** Messages between two offset maps, summed over the partitions of `to`. */
export function messagesBetween(from: PartitionOffsets, to: PartitionOffsets): number {
  let n = 0n;
  for (const [key, end] of to) {
    const start = from.get(key) ?? 0n;
    if (end > start) n += end - start;
  }
  return Number(n);
}

/**
 * Waits until the change topics stop growing (Debezium has written what the sources committed): the end offsets
 * are the same over `quietMs`. Returns them.
 */
export async function quietChangeTopicEnds(quietMs: number, timeoutMs: number): Promise<PartitionOffsets> {
  const deadline = Date.now() + timeoutMs;
  let last = await changeTopicEnds();
  let since = Date.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const now = await changeTopicEnds();
    if (messagesBetween(last, now) > 0 || now.size !== last.size) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return now;
    }
    if (Date.now() > deadline) throw new Error(`the change topics kept growing for ${timeoutMs} ms`);
  }
}
