/**
 * The outbox relay publishes a committed outbox row as soon as it is committed: the commit wakes it (LISTEN /
 * NOTIFY, migration 1796730000000), it does not wait for its next poll. The relay here polls once every 10 minutes,
 * so only the wake-up can publish within the test's wait.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { Pool } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { kafkajsBroker } from '../../cdc/kafka/kafkajsBroker';
import { runOutboxRelay } from '../../cdc/outbox/runOutboxRelay';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { stackEnv } from '../support/stackEnv';
import { waitFor } from '../support/waitFor';

describe('outbox relay', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let consumer: Consumer;
  const topic = `finsync.test.outboxrelay.${process.pid}.${Date.now()}`;
  const seen: string[] = [];

  beforeAll(async () => {
    db = await scratchDatabase('outboxrelay');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 3 });
  }, 120_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await pool?.end();
    await db?.drop();
    const admin = new Kafka({ brokers: [...stackEnv.kafkaBrokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  const insert = async (aggregateId: string) => {
    await pool.query(
      `insert into outbox (aggregate_type, aggregate_id, correlation_id, event_type, new_status, payload)
       values ('INVOICE', $1, $2, 'INVOICE_STATUS_CHANGED', 'PAID', '{}')`,
      [aggregateId, randomUUID()],
    );
  };

  it('publishes a committed row at once, woken by the commit rather than by its poll', async () => {
    const broker = kafkajsBroker({ brokers: stackEnv.kafkaBrokers, clientId: 'finsync-test-outbox' });
    const relay = runOutboxRelay({ pool, broker, topic, logger: pino({ level: 'warn' }), idleMs: 600_000 });
    try {
      consumer = new Kafka({ brokers: [...stackEnv.kafkaBrokers], logLevel: logLevel.NOTHING }).consumer({
        groupId: `finsync-test-outbox-${randomUUID()}`,
        maxWaitTimeInMs: 100,
      });
      await consumer.connect();
      const first = randomUUID();
      await insert(first);
      // The first row: published by the relay's start-up poll or by the wake-up, whichever comes first.
      await waitFor(
        async () => (await pool.query(`select 1 from outbox where published_at is null`)).rowCount === 0,
        30_000,
        'the first row to be published',
        100,
      );
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.push((JSON.parse(message.value!.toString()) as { aggregateId: string }).aggregateId);
        },
      });
      await waitFor(async () => seen.includes(first), 30_000, 'the first row on the topic', 100);
      // The relay is asleep now, for 10 minutes: only the commit's notification can wake it.
      const second = randomUUID();
      await insert(second);
      await waitFor(async () => seen.includes(second), 15_000, 'the second row on the topic', 100);
      expect(seen).toEqual([first, second]);
    } finally {
      await relay.stop();
    }
  });
});
