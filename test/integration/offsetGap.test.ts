/**
 * A consumer down for longer than the topics' retention (issue 16, item 4): the changes below the partition's first
 * held offset are gone. The pipeline, started with a stored offset below it, must not move on silently: it raises an
 * OFFSET_GAP exception naming the topic, the partition and how many changes were lost, with the way back. The topic
 * is the test's own (`g<seed>.procurement.public.gap`), its first 6 records deleted as retention would.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { loadCdcConfig } from '../../cdc/config';
import { startCdc, type RunningCdc } from '../../cdc/startCdc';
import { storeGroupOffsets } from '../support/changeTopicOffsets';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { stackEnv } from '../support/stackEnv';
import { waitFor } from '../support/waitFor';

const seed = Date.now() % 1_000_000;
const prefix = `g${seed}.`;
const topic = `${prefix}procurement.public.gap`;

describe('a gap in the offsets (retention deleted changes before they were read) is reported, not skipped', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let cdc: RunningCdc;
  const kafka = new Kafka({
    clientId: 'finsync-test',
    brokers: [...stackEnv.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });

  beforeAll(async () => {
    db = await scratchDatabase('offsetgap');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    // Ten tombstones without a key: nothing to apply, nothing dead-lettered.
    await producer.send({
      topic,
      messages: Array.from({ length: 10 }, () => ({ key: null, value: null })),
    });
    await producer.disconnect();
    await admin.disconnect();
    // As retention would: records below offset 6 deleted (Kafka's own tool; kafkajs's DeleteRecords fails on Kafka 4).
    const file = join(mkdtempSync(join(tmpdir(), 'finsync-gap-')), 'offsets.json');
    writeFileSync(file, JSON.stringify({ version: 1, partitions: [{ topic, partition: 0, offset: 6 }] }));
    const java = join(process.env.JAVA_HOME ?? '/usr/lib/jvm/java-17-openjdk-amd64', 'bin', 'java');
    const jars = join(__dirname, '..', '..', '.cache', 'jars', 'kafka', '*');
    await promisify(execFile)(java, [
      '-cp',
      jars,
      'org.apache.kafka.tools.DeleteRecordsCommand',
      '--bootstrap-server',
      stackEnv.kafkaBrokers[0]!,
      '--offset-json-file',
      file,
    ]);
    const groupId = `finsync-test-gap-${seed}`;
    // finsync had applied offsets 0 and 1 when it went down.
    await storeGroupOffsets(pool, groupId, new Map([[`${topic}:0`, 2n]]));
    cdc = await startCdc(
      {
        ...loadCdcConfig({}),
        databaseUrl: db.url,
        groupId,
        topicPrefix: prefix,
        systems: ['procurement'],
      },
      pino({ level: 'silent' }),
    );
  }, 120_000);

  afterAll(async () => {
    await cdc?.stop().catch(() => undefined);
    await pool?.end();
    await db?.drop();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('raises one OFFSET_GAP exception naming the partition, the lost changes and the way back', async () => {
    const rows = (await waitFor(
      async () => {
        const { rows } = await pool.query<{ code: string; message: string }>(
          `select code, message from exception where code = 'OFFSET_GAP'`,
        );
        return rows.length ? rows : null;
      },
      60_000,
      'the OFFSET_GAP exception',
      250,
    ))!;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.message).toContain(`Topic ${topic}, partition 0`);
    expect(rows[0]!.message).toContain('next offset is 2');
    expect(rows[0]!.message).toContain('from offset 6 on');
    expect(rows[0]!.message).toContain('deleted 4 change(s)');
    expect(rows[0]!.message).toMatch(/new snapshot/);
    // And it reads on from what is there (its offset reaches the end), without stopping.
    await waitFor(
      async () => {
        const { rows: o } = await pool.query<{ n: string }>(`select next_offset::text as n from consumer_offset`);
        return o[0]?.n === '10';
      },
      60_000,
      'the records still held to be read',
      250,
    );
  });
});
