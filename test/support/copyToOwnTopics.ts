import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { RawMessage } from '../../cdc/envelope/decodeMessage';
import { kafkajsBroker } from '../../cdc/kafka/kafkajsBroker';
import type { MessageBroker } from '../../cdc/kafka/MessageBroker';
import { partitionKey, type PartitionOffsets } from './changeTopicOffsets';
import { stackEnv } from './stackEnv';

/**
 * Reads the messages between two offset maps of the shared change topics (a seeded run, as Debezium wrote it) so a
 * test can write them again into topics of its own: topics with several partitions that no other test consumes and
 * whose layout (partitions, order of arrival) the test chooses, while the shared Debezium topics stay as they are.
 */
export async function readRange(from: PartitionOffsets, to: PartitionOffsets): Promise<RawMessage[]> {
  const broker = ownBroker();
  const wanted = [...to.entries()].filter(([key, end]) => end > (from.get(key) ?? 0n));
  const topics = [...new Set(wanted.map(([key]) => key.slice(0, key.lastIndexOf(':'))))];
  if (!topics.length) return [];
  const consumer = await broker.consumer({ groupId: `finsync-test-copy-${randomUUID()}`, topics, fromBeginning: true });
  const got = new Map<string, RawMessage[]>();
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const complete = () =>
    wanted.every(([key, end]) => {
      const list = got.get(key);
      return !!list?.length && BigInt(list[list.length - 1]!.offset) >= end - 1n;
    });
  void consumer.run(
    async (batch) => {
      const key = partitionKey(batch.topic, batch.partition);
      const start = from.get(key) ?? 0n;
      const end = to.get(key) ?? 0n;
      const list = got.get(key) ?? [];
      for (const m of batch.messages) if (BigInt(m.offset) >= start && BigInt(m.offset) < end) list.push(m);
      got.set(key, list);
      if (complete()) done();
    },
    { startOffset: (topic, partition) => from.get(partitionKey(topic, partition))?.toString() },
  );
  const timeout = setTimeout(() => done(), 120_000);
  await finished;
  clearTimeout(timeout);
  await consumer.stop();
  if (!complete()) throw new Error('could not read the run back from the change topics within 120 s');
  return [...got.values()].flat();
}

/** Creates `<prefix><topic>` for each topic with the given partitions (nothing if it exists). */
export async function createOwnTopics(topics: readonly string[], prefix: string, partitions: number): Promise<void> {
  await ownBroker().createTopics(
    topics.map((t) => prefix + t),
    partitions,
  );
}

/**
 * The broker refuses a request over its maximum message size (1 MB by default): Debezium's JSON with schemas is a few
 * KB a change, and a source row can be huge (malformedSourceRows writes a 280,000-character name), so batches are cut
 * by size, not by count.
 */
const MAX_BATCH_BYTES = 512 * 1024;

function* batchesUnder(list: readonly RawMessage[], maxBytes: number): Generator<RawMessage[]> {
  let batch: RawMessage[] = [];
  let bytes = 0;
  for (const m of list) {
    const size = (m.key?.length ?? 0) + (m.value?.length ?? 0);
    if (batch.length && bytes + size > maxBytes) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(m);
    bytes += size;
  }
  if (batch.length) yield batch;
}

/**
 * Writes messages into `<prefix><their topic>`, keyed as Debezium keyed them (the source row's key): Kafka's
 * default partitioner (murmur2, as Kafka Connect's) keeps each row's changes in one partition, in order.
 */
export async function writeToOwnTopics(
  broker: MessageBroker,
  messages: readonly RawMessage[],
  prefix: string,
): Promise<void> {
  const producer = await broker.producer();
  try {
    const byTopic = new Map<string, RawMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    for (const [topic, list] of byTopic) {
      for (const batch of batchesUnder(list, MAX_BATCH_BYTES)) {
        await producer.send(
          prefix + topic,
          batch.map((m) => ({ key: m.key, value: m.value })),
        );
      }
    }
  } finally {
    await producer.close();
  }
}

/** A client for the test's own topics (kafkajs's warnings about its own settings left out). */
export const ownBroker = (): MessageBroker =>
  kafkajsBroker({ brokers: stackEnv.kafkaBrokers, clientId: 'finsync-test', logger: pino({ level: 'error' }) });
