import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import pino from 'pino';
import { loadCdcConfig } from '../../cdc/config';
import { startCdc, type RunningCdc } from '../../cdc/startCdc';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import type { Manifest } from '../../stack/seed/manifest';
import { changeTopicEnds, storeGroupOffsets } from './changeTopicOffsets';
import { freshSeed, runSeed } from './runSeed';
import { scratchDatabase, type ScratchDatabase } from './scratchDatabase';
import { stackEnv } from './stackEnv';
import { waitFor } from './waitFor';

export interface SeededCanonical {
  readonly seed: number;
  /** `S<seed>-`: every code and number of this run starts with it. */
  readonly prefix: string;
  readonly manifest: Manifest;
  readonly db: ScratchDatabase;
  readonly pool: Pool;
  /** The CDC pipeline, still running (live changes keep flowing). */
  readonly cdc: RunningCdc;
  /** This run's canonical events topic (the CDC relay's output; deleted by `drop`). */
  readonly eventsTopic: string;
  drop(): Promise<void>;
}

/**
 * A scratch canonical database fed by the real path: the CDC pipeline (in this process) from the change topics'
 * current end, publishing to an events topic of its own; `beforeSeed` runs once it has joined (start consumers of
 * the events topic there); then a fresh seed is written into the real sources and waited for until every record
 * (and planted exception) of the run has landed and the outbox is published.
 */
export async function seedCanonical(
  purpose: string,
  seedArgs: readonly string[],
  beforeSeed: (ctx: { readonly dbUrl: string; readonly eventsTopic: string }) => Promise<void> = async () => undefined,
): Promise<SeededCanonical> {
  const seed = freshSeed();
  const prefix = `S${seed}-`;
  const eventsTopic = `finsync.test.${purpose}.events.${seed}`;
  const db = await scratchDatabase(purpose);
  await migrateCanonicalSchema(db.url);
  const pool = new Pool({ connectionString: db.url, max: 4 });
  const groupId = `finsync-test-${purpose}-${seed}`;
  await storeGroupOffsets(pool, groupId, await changeTopicEnds());
  const cdc = await startCdc(
    { ...loadCdcConfig({}), databaseUrl: db.url, groupId, eventsTopic },
    pino({ level: 'warn' }),
  );
  await cdc.joined;
  await beforeSeed({ dbUrl: db.url, eventsTopic });
  // PARKED_THEN_APPLIED is a payment that arrives before its invoice: the first run writes the payment and holds the
  // invoice back; once the pipeline has parked the payment, a second run of the same seed writes the invoice (and
  // nothing else: every other row is there). The parking then does not depend on the pipeline's lag under load.
  let manifest = await runSeed([...seedArgs, '--hold-late-invoices'], seed);
  const late = manifest.anomalies.filter((a) => a.kind === 'PARKED_THEN_APPLIED');
  if (late.length) {
    const references = late.map((a) => String(a.records[0]!.key.reference));
    await waitFor(
      async () => {
        const { rows } = await pool.query<{ n: number }>(
          `select count(*)::int as n from parked_event where event->'after'->>'reference' = any($1::text[])`,
          [references],
        );
        return rows[0]!.n === references.length;
      },
      120_000,
      `the pipeline to park ${references.join(', ')}`,
      100,
    );
    manifest = await runSeed([...seedArgs], seed);
  }
  const c = manifest.controls;
  const planted = manifest.anomalies.filter((a) => a.expectedException && a.raisedBy === 'pipeline').length;
  await waitFor(
    async () => {
      const { rows } = await pool.query<Record<string, number>>(
        `select (select count(*) from invoice where type = 'ACCOUNTS_RECEIVABLE' and not is_credit_note and number like $1 || '%')::int as ar,
                (select count(*) from invoice where type = 'ACCOUNTS_PAYABLE' and number like $1 || '%')::int as ap,
                (select count(*) from payment where reference like $1 || '%')::int as payments,
                (select count(*) from journal_entry where number like $1 || '%')::int as journals,
                (select count(*) from exception where message like '%' || $1 || '%')::int as exceptions,
                (select count(*) from outbox where published_at is null)::int as unpublished`,
        [prefix],
      );
      const n = rows[0]!;
      return (
        n.ar! >= c['billing.invoice']!.count &&
        n.ap! >= c['procurement.supplier_invoice']!.count + (planted ? 1 : 0) &&
        n.payments! >= c['billing.payment']!.count &&
        n.journals! >= c['payroll.payroll_journal']!.count &&
        n.exceptions! >= planted - 1 &&
        n.unpublished === 0
      );
    },
    240_000,
    `every record of seed ${seed}`,
  );
  return {
    seed,
    prefix,
    manifest,
    db,
    pool,
    cdc,
    eventsTopic,
    drop: async () => {
      await cdc.stop().catch(() => undefined);
      await pool.end();
      await db.drop();
      const admin = new Kafka({ brokers: [...stackEnv.kafkaBrokers], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [eventsTopic] }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
