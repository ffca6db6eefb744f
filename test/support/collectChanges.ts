import { randomUUID } from 'node:crypto';
import type { ChangeEvent } from '../../cdc/envelope/ChangeEvent';
import { decodeMessage } from '../../cdc/envelope/decodeMessage';
import { kafkajsBroker } from '../../cdc/kafka/kafkajsBroker';
import type { MessageConsumer } from '../../cdc/kafka/MessageBroker';
import { stackEnv } from './stackEnv';

export interface ChangeCollector {
  /** Decoded events that passed the filter, in arrival order (per partition: offset order). */
  readonly events: ChangeEvent[];
  /** Decode failures seen on the topics: the message key (as text) and the decoder's message. */
  readonly failures: Array<{ key: string | null; message: string }>;
  /** Resolves once `done(events)` holds; rejects after `timeoutMs` listing what did arrive. */
  until(done: (events: ChangeEvent[]) => boolean, timeoutMs?: number): Promise<ChangeEvent[]>;
  stop(): Promise<void>;
}

/**
 * Consumes the given topics from the beginning with a fresh consumer group, through finsync's own client
 * and decoder, and keeps the events `keep` accepts.
 */
export async function collectChanges(
  topics: string[],
  keep: (event: ChangeEvent) => boolean,
): Promise<ChangeCollector> {
  const broker = kafkajsBroker({ brokers: stackEnv.kafkaBrokers, clientId: 'finsync-test' });
  const consumer: MessageConsumer = await broker.consumer({
    groupId: `finsync-test-${randomUUID()}`,
    topics,
    fromBeginning: true,
  });
  const events: ChangeEvent[] = [];
  const failures: Array<{ key: string | null; message: string }> = [];
  let wake: () => void = () => undefined;
  void consumer.run(async (batch) => {
    for (const message of batch.messages) {
      const result = decodeMessage(message);
      if (!result.ok) failures.push({ key: message.key?.toString('utf8') ?? null, message: result.error.message });
      else if (keep(result.event)) events.push(result.event);
    }
    wake();
  });
  return {
    events,
    failures,
    until: async (done, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!done(events)) {
        if (Date.now() > deadline) {
          throw new Error(
            `timed out after ${timeoutMs} ms; collected ${events.length} events: ${JSON.stringify(events.map(summary))}`,
          );
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 250);
        });
      }
      return events;
    },
    stop: () => consumer.stop(),
  };
}

function summary(e: ChangeEvent): string {
  return e.kind === 'tombstone' ? `${e.topic}@${e.offset}:tombstone` : `${e.topic}@${e.offset}:${e.op}`;
}
