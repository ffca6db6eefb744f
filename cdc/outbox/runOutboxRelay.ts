import { Client, type Pool } from 'pg';
import type { Logger } from 'pino';
import type { MessageBroker } from '../kafka/MessageBroker';

export interface OutboxRelayOptions {
  readonly pool: Pool;
  readonly broker: MessageBroker;
  /** The canonical events topic. */
  readonly topic: string;
  readonly logger: Logger;
  /**
   * Longest pause between polls when the outbox is empty. Default 200 ms. A commit that inserted outbox rows wakes
   * the relay at once (LISTEN finsync_outbox, migration 1796730000000): the poll is the fallback.
   */
  readonly idleMs?: number;
  /** Rows published per transaction. Default 500. */
  readonly batchSize?: number;
}

/** The message a consumer of the canonical events topic receives (JSON), keyed by `aggregateId`. */
export interface CanonicalEvent {
  /** The outbox id: increasing, unique; consumers deduplicate redeliveries with it. */
  readonly id: string;
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly correlationId: string;
  readonly eventType: string;
  readonly oldStatus: string | null;
  readonly newStatus: string | null;
  readonly legalEntityId: string | null;
  readonly payload: unknown;
  readonly createdAt: string;
}

/**
 * Publishes outbox rows to Kafka in id order and marks them published, at least once: one relay at a time (an
 * advisory lock; the others wait their turn), rows locked, sent, then marked in the same transaction; a crash between
 * send and commit re-sends them, and consumers deduplicate by `id`.
 */
export function runOutboxRelay(options: OutboxRelayOptions): { stop(): Promise<void> } {
  const { pool, broker, topic, logger } = options;
  const idleMs = options.idleMs ?? 200;
  const batchSize = options.batchSize ?? 500;
  let running = true;
  // Set by a notification; a poll that starts after it sees the rows, so the relay does not sleep while it is set.
  let notified = false;
  let wake: (() => void) | null = null;
  const onNotification = () => {
    notified = true;
    wake?.();
  };
  const idle = () =>
    notified
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        }).finally(() => (wake = null));
  const done = (async () => {
    await broker.createTopics([topic]);
    const producer = await broker.producer();
    const listener = await listen(pool, onNotification, logger);
    try {
      while (running) {
        let sent = 0;
        notified = false;
        try {
          sent = await publishOnce();
        } catch (err) {
          logger.warn({ err }, 'outbox relay: publish failed; retrying');
          await sleep(1_000);
        }
        if (sent === 0) await idle();
      }
    } finally {
      await listener?.end().catch(() => undefined);
      await producer.close();
    }

    async function publishOnce(): Promise<number> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        // One relay publishes at a time, however many CDC processes run: two relays side by side would each take a
        // slice of rows and could publish an aggregate's later event before its earlier one.
        const { rows: turn } = await client.query<{ mine: boolean }>(
          `select pg_try_advisory_xact_lock(hashtextextended('finsync-outbox-relay', 0)) as mine`,
        );
        if (!turn[0]?.mine) {
          await client.query('commit');
          return 0;
        }
        const { rows } = await client.query<{
          id: string;
          aggregate_type: string;
          aggregate_id: string;
          correlation_id: string;
          event_type: string;
          old_status: string | null;
          new_status: string | null;
          legal_entity_id: string | null;
          payload: unknown;
          created_at: Date;
        }>(`select * from outbox where published_at is null order by id limit $1 for update skip locked`, [batchSize]);
        if (rows.length) {
          await producer.send(
            topic,
            rows.map((r) => {
              const event: CanonicalEvent = {
                id: String(r.id),
                aggregateType: r.aggregate_type,
                aggregateId: r.aggregate_id,
                correlationId: r.correlation_id,
                eventType: r.event_type,
                oldStatus: r.old_status,
                newStatus: r.new_status,
                legalEntityId: r.legal_entity_id,
                payload: r.payload,
                createdAt: r.created_at.toISOString(),
              };
              return {
                key: r.aggregate_id,
                value: JSON.stringify(event),
                headers: { 'finsync-event-type': r.event_type },
              };
            }),
          );
          await client.query(`update outbox set published_at = now() where id = any($1::bigint[])`, [
            rows.map((r) => r.id),
          ]);
        }
        await client.query('commit');
        return rows.length;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      wake?.();
      await done;
    },
  };
}

/**
 * A connection of its own (not the pool's) listening for committed outbox rows; null, and polling only, when it
 * cannot be opened. A listener that fails later is logged and the relay goes on polling.
 */
async function listen(pool: Pool, onNotification: () => void, logger: Logger): Promise<Client | null> {
  const client = new Client(pool.options);
  try {
    await client.connect();
    client.on('notification', onNotification);
    client.on('error', (err) => logger.warn({ err }, 'outbox relay: listener failed; polling only'));
    await client.query('listen finsync_outbox');
    return client;
  } catch (err) {
    logger.warn({ err }, 'outbox relay: cannot listen for outbox rows; polling only');
    await client.end().catch(() => undefined);
    return null;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
