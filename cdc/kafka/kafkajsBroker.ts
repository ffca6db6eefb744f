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

/** Kafka's default group.min.session.timeout.ms: the shortest session the broker accepts. */
export const SESSION_TIMEOUT_MS = 6_000;
const HEARTBEAT_INTERVAL_MS = 1_000;

/** The part of kafkajs's (untyped, private) Cluster that evictMember uses. */
interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<{
    leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
  }>;
}

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
        kafka.consumer({
          groupId: consumerOptions.groupId,
          // A member that died without leaving is noticed after SESSION_TIMEOUT_MS (the broker's smallest allowed,
          // group.min.session.timeout.ms): its partitions move to the others then. A restarted instance does not
          // wait for this: it evicts its predecessor (evictMember, docs/cdc-pipeline.md "Resuming after a crash").
          sessionTimeout: SESSION_TIMEOUT_MS,
          heartbeatInterval: HEARTBEAT_INTERVAL_MS,
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
    evictMember: async (groupId, memberId) => {
      // kafkajs has no API for removing another member; its cluster (private, reached by its symbol's description)
      // finds the group coordinator and sends the LeaveGroup the dead member would have sent. Checked against the
      // broker by test/process/cdcResume.test.ts.
      const create = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
      if (!create) throw new Error('kafkajs internals changed: cannot evict a group member');
      const cluster = (kafka as unknown as Record<symbol, (options: object) => KafkajsCluster>)[create]!({});
      await cluster.connect();
      try {
        const coordinator = await cluster.findGroupCoordinator({ groupId });
        await coordinator.leaveGroup({ groupId, memberId });
      } catch (err) {
        // Already gone (its session expired, or it left): nothing to do.
        if ((err as { type?: string }).type !== 'UNKNOWN_MEMBER_ID') throw err;
      } finally {
        await cluster.disconnect();
      }
    },
    partitionStarts: async (topics) => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const starts = new Map<string, string>();
        for (const topic of new Set(topics)) {
          for (const p of await admin.fetchTopicOffsets(topic)) starts.set(`${topic}:${p.partition}`, p.low);
        }
        return starts;
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
      const startOffsets = runOptions?.startOffsets;
      // kafkajs only accepts seek() for assigned partitions of a running consumer: seek on every join.
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        const assigned = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) =>
          partitions.map((partition) => ({ topic, partition })),
        );
        const join = { memberId: payload.memberId, assigned: assigned.map((a) => `${a.topic}:${a.partition}`) };
        const seeked = new Map<string, string>();
        if (startOffset) {
          for (const { topic, partition } of assigned) {
            const offset = startOffset(topic, partition);
            if (offset !== undefined) consumer.seek({ topic, partition, offset });
            if (offset !== undefined) seeked.set(`${topic}:${partition}`, offset);
          }
        }
        if (startOffsets) {
          // Read again what is stored (another member may have moved a partition on since this process started) and
          // seek again where it differs. Not paused meanwhile: kafkajs then idles a whole fetch wait; a batch fetched
          // from the older offset is dropped by the apply transaction's offset check.
          void startOffsets(assigned)
            .then((offsets) => {
              for (const { topic, partition } of assigned) {
                const offset = offsets.get(`${topic}:${partition}`);
                if (offset !== undefined && offset !== seeked.get(`${topic}:${partition}`))
                  consumer.seek({ topic, partition, offset });
              }
            })
            .catch(() => undefined);
        }
        runOptions?.onGroupJoin?.(join);
      });
      return consumer.run({
        eachBatchAutoResolve: true,
        partitionsConsumedConcurrently: runOptions?.concurrency ?? 1,
        eachBatch: async ({ batch, heartbeat }) => {
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
          // kafkajs heartbeats only between batches: a handler waiting for its lane or a long transaction would
          // let the short session expire and the member be thrown out. Heartbeat while it works.
          const beat = setInterval(() => void heartbeat().catch(() => undefined), HEARTBEAT_INTERVAL_MS);
          try {
            await handler(messageBatch);
          } finally {
            clearInterval(beat);
          }
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
