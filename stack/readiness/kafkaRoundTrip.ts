/**
 * Kafka readiness: produce one message and consume it back with kafkajs, the client finsync uses.
 * Exit 0 on a round trip, 1 otherwise; `stack/kafka/up.sh` calls it until it passes or times out.
 * Usage: tsx stack/readiness/kafkaRoundTrip.ts [broker]
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

const TOPIC = '_finsync_readiness';
const TIMEOUT_MS = 20_000;

async function roundTrip(broker: string): Promise<void> {
  const kafka = new Kafka({
    clientId: 'finsync-readiness',
    brokers: [broker],
    connectionTimeout: 2_000,
    retry: { retries: 2 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();

  const token = randomUUID();
  const consumer = kafka.consumer({ groupId: `finsync-readiness-${token}` });
  const producer = kafka.producer();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: false });
    // The group must own the partition before the produce, or `fromBeginning: false` skips the message.
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    const received = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (message.value?.toString() === token) resolve();
        },
      });
    });
    await joined;
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: [{ value: token }] });
    await received;
  } finally {
    await Promise.allSettled([producer.disconnect(), consumer.disconnect()]);
  }
}

const timer = setTimeout(() => {
  process.stderr.write(`kafka round trip: no answer after ${TIMEOUT_MS} ms\n`);
  process.exit(1);
}, TIMEOUT_MS);

roundTrip(process.argv[2] ?? '127.0.0.1:9092').then(
  () => {
    clearTimeout(timer);
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`kafka round trip failed: ${String(err)}\n`);
    process.exit(1);
  },
);
