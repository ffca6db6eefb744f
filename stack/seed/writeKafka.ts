/**
 * POISON_MESSAGE: a message that is not JSON, written with kafkajs straight onto a Debezium topic. Idempotent: the
 * message carries the run's key (`S42-POISON`), and the topic is read first; when that key is already there,
 * nothing is produced.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export interface PoisonResult {
  topic: string;
  key: string;
  partition: number;
  offset: string;
  produced: boolean;
}

const SCAN_TIMEOUT_MS = 60_000;

function client(brokers: readonly string[]): Kafka {
  return new Kafka({
    clientId: 'finsync-seed',
    brokers: [...brokers],
    connectionTimeout: 3_000,
    retry: { retries: 3 },
    logLevel: logLevel.NOTHING,
  });
}

/** Reads the topic from the beginning up to its current end, looking for a message with the key. */
async function findKey(
  kafka: Kafka,
  topic: string,
  key: string,
): Promise<{ partition: number; offset: string } | null> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; high: string; low: string }[];
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) return null;
    ends = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
  const pending = new Map(ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high)]));
  if (pending.size === 0) return null;

  const groupId = `finsync-seed-scan-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  let found: { partition: number; offset: string } | null = null;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`seed: reading ${topic} for ${key} took more than ${SCAN_TIMEOUT_MS} ms`)),
        SCAN_TIMEOUT_MS,
      );
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              if (message.key?.toString() === key) found = { partition: batch.partition, offset: message.offset };
            }
            const last = batch.messages.at(-1);
            const end = pending.get(batch.partition);
            if (last && end !== undefined && BigInt(last.offset) + 1n >= end) pending.delete(batch.partition);
            if (found || pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    const admin2 = kafka.admin();
    await admin2
      .connect()
      .then(() => admin2.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => admin2.disconnect());
  }
  return found;
}

export async function writePoison(
  brokers: readonly string[],
  poison: { topic: string; key: string; value: string },
): Promise<PoisonResult> {
  const kafka = client(brokers);
  const already = await findKey(kafka, poison.topic, poison.key);
  if (already) return { ...poison, ...already, produced: false };
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    const [meta] = await producer.send({ topic: poison.topic, messages: [{ key: poison.key, value: poison.value }] });
    if (!meta) throw new Error(`seed: Kafka acknowledged no record for ${poison.topic}`);
    return {
      topic: poison.topic,
      key: poison.key,
      partition: meta.partition,
      offset: meta.baseOffset ?? '',
      produced: true,
    };
  } finally {
    await producer.disconnect();
  }
}
