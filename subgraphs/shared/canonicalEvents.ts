import { randomUUID } from 'node:crypto';
import { EventEmitter, on } from 'node:events';
import { hostname } from 'node:os';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { kafkajsLogCreator } from '../../cdc/kafka/kafkajsLogCreator';
import type { Logger } from 'pino';
import { decodeCanonicalEvent, type CanonicalEvent } from './CanonicalEvent';

/** Outbox ids remembered per process to drop redeliveries (at-least-once relay). */
const DEDUP_WINDOW = 10_000;

export interface CanonicalEventSource {
  /** Resolves once the consumer has joined its group and reads from the topic's end. */
  readonly joined: Promise<void>;
  readonly isJoined: () => boolean;
  /** Every new canonical event of the given aggregate types, until `signal` aborts. */
  events(aggregateTypes: readonly string[], signal: AbortSignal): AsyncIterable<CanonicalEvent>;
  stop(): Promise<void>;
}

/**
 * The subscriptions' feed. Each subgraph replica consumes the canonical events topic with a consumer group of its
 * own (so every replica sees every event, whatever the number of replicas), starting at the topic's end, and
 * publishes each event to an in-process emitter that the replica's subscriptions filter.
 */
export async function startCanonicalEvents(options: {
  readonly subgraph: string;
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly logger: Logger;
}): Promise<CanonicalEventSource> {
  const { logger } = options;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const kafka = new Kafka({
    clientId: `finsync-${options.subgraph}`,
    brokers: [...options.brokers],
    logLevel: logLevel.WARN,
    logCreator: kafkajsLogCreator(logger),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // A subgraph may start before the CDC relay ever wrote: create the topic so the subscription has one.
    if (!(await admin.listTopics()).includes(options.topic)) {
      await admin
        .createTopics({ topics: [{ topic: options.topic, numPartitions: 1 }], waitForLeaders: true })
        .catch((err: unknown) => {
          // Another replica may have created it meanwhile; a real failure shows when subscribing below.
          logger.debug({ err }, 'events topic creation');
        });
    }
  } finally {
    await admin.disconnect();
  }
  const groupId = `finsync-${options.subgraph}-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 100,
  });
  let joined = false;
  const joinedPromise = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
      resolve();
    });
  });
  const seen = new Set<string>();
  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const event = decodeCanonicalEvent(message.value);
      if (!event || seen.has(event.id)) return;
      seen.add(event.id);
      if (seen.size > DEDUP_WINDOW) seen.delete(seen.values().next().value as string);
      emitter.emit(event.aggregateType, event);
    },
  });
  logger.info({ groupId, topic: options.topic }, 'canonical events consumer started');
  return {
    joined: joinedPromise,
    isJoined: () => joined,
    events: (aggregateTypes, signal) => ({
      [Symbol.asyncIterator]: async function* () {
        const merged = new EventEmitter();
        const forward = (event: CanonicalEvent) => merged.emit('event', event);
        for (const t of aggregateTypes) emitter.on(t, forward);
        try {
          for await (const [event] of on(merged, 'event', { signal })) yield event as CanonicalEvent;
        } catch (err) {
          if ((err as { name?: string }).name !== 'AbortError') throw err;
        } finally {
          for (const t of aggregateTypes) emitter.off(t, forward);
        }
      },
    }),
    stop: async () => {
      await consumer.disconnect();
    },
  };
}
