import { Kafka, Partitioners, logLevel, type Consumer, type Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { kafkajsLogCreator } from './kafkajsLogCreator';
import type {
  ConsumerOptions,
  MessageBatch,
  MessageBroker,
  MessageConsumer,
  MessageProducer,
  OutgoingMessage,
} from './MessageBroker';

export interface KafkajsBrokerOptions {
  /** host:port list, e.g. ["127.0.0.1:9092"]. */
  readonly brokers: readonly string[];
  /** Client id shown in broker logs and metrics. */
  readonly clientId: string;
  /** Where kafkajs's own lines go; without it, kafkajs's default console lines. */
  readonly logger?: Logger;
}

/**
 * How much one fetch brings: Debezium events with their schema are ~4 KB, so kafkajs's default 1 MB per
 * partition is ~250 events; larger fetches mean larger transactions (fewer commits, more parents and children
 * meeting in one transaction). The benchmark's raw ceiling consumes with the same settings.
 */
export const FETCH_SETTINGS = { maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 32 * 1024 * 1024 } as const;

/** The kafkajs implementation of `MessageBroker`; kafkajs 2.2 talks to Kafka 4 (checked by the tests). */
export function kafkajsBroker(options: KafkajsBrokerOptions): MessageBroker {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    ...(options.logger ? { logCreator: kafkajsLogCreator(options.logger) } : {}),
    // Transient broker faults are retried with exponential backoff by kafkajs itself.
    retry: { initialRetryTime: 300, retries: 8 },
  });
  return {
    consumer: async (consumerOptions) =>
      kafkajsConsumer(
        // A consumer that crashed is noticed after 10 s instead of kafkajs's 30 s: a restart resumes sooner.
        kafka.consumer({
          groupId: consumerOptions.groupId,
          sessionTimeout: 10_000,
          heartbeatInterval: 2_000,
          ...FETCH_SETTINGS,
        }),
        consumerOptions,
      ),
    producer: async () => {
      const producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        // The default partitioner of kafkajs 2 (Java-compatible murmur2), named so kafkajs stops warning about it.
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      return kafkajsProducer(producer);
    },
    createTopics: async (topics, partitions = 1) => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        // Asking for an existing topic makes kafkajs log an error; ask only for the missing ones.
        const existing = new Set(await admin.listTopics());
        const missing = [...new Set(topics)].filter((t) => !existing.has(t));
        if (!missing.length) return;
        await admin.createTopics({
          topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
          waitForLeaders: true,
        });
      } finally {
        await admin.disconnect();
      }
    },
    clusterId: async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return (await admin.describeCluster()).clusterId;
      } finally {
        await admin.disconnect();
      }
    },
    listTopics: async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return await admin.listTopics();
      } finally {
        await admin.disconnect();
      }
    },
    highWatermarks: async (pattern) => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const out = new Map<string, string>();
        for (const topic of (await admin.listTopics()).filter((t) => pattern.test(t))) {
          for (const p of await admin.fetchTopicOffsets(topic)) out.set(`${topic}:${p.partition}`, p.high);
        }
        return out;
      } finally {
        await admin.disconnect();
      }
    },
  };
}

async function kafkajsConsumer(consumer: Consumer, options: ConsumerOptions): Promise<MessageConsumer> {
  await consumer.connect();
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning });
  return {
    run: (handler, runOptions) => {
      const startOffset = runOptions?.startOffset;
      // kafkajs only accepts seek() for assigned partitions of a running consumer: seek on every join.
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        if (startOffset) {
          for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
            for (const partition of partitions) {
              const offset = startOffset(topic, partition);
              if (offset !== undefined) consumer.seek({ topic, partition, offset });
            }
          }
        }
        runOptions?.onGroupJoin?.();
      });
      return consumer.run({
        eachBatchAutoResolve: true,
        partitionsConsumedConcurrently: runOptions?.concurrency ?? 1,
        eachBatch: async ({ batch }) => {
          const messageBatch: MessageBatch = {
            topic: batch.topic,
            partition: batch.partition,
            messages: batch.messages.map((m) => ({
              topic: batch.topic,
              partition: batch.partition,
              offset: m.offset,
              key: m.key,
              value: m.value,
            })),
          };
          await handler(messageBatch);
        },
      });
    },
    stop: () => consumer.disconnect(),
  };
}

function kafkajsProducer(producer: Producer): MessageProducer {
  return {
    send: async (topic, messages: readonly OutgoingMessage[]) => {
      await producer.send({
        topic,
        messages: messages.map((m) => ({
          key: m.key,
          value: m.value,
          headers: m.headers ? { ...m.headers } : undefined,
        })),
      });
    },
    close: () => producer.disconnect(),
  };
}
