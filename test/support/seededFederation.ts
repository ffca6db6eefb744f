import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import pino from 'pino';
import { loadCdcConfig } from '../../cdc/config';
import { startCdc, type RunningCdc } from '../../cdc/startCdc';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import type { Manifest } from '../../stack/seed/manifest';
import { changeTopicEnds, storeGroupOffsets } from './changeTopicOffsets';
import { startFederation, type FederationStack } from './federationStack';
import { freshSeed, runSeed } from './runSeed';
import { scratchDatabase, type ScratchDatabase } from './scratchDatabase';
import { stackEnv } from './stackEnv';
import { waitFor } from './waitFor';

export interface SeededFederation {
  readonly seed: number;
  /** `S<seed>-`: every code and number of this run starts with it. */
  readonly prefix: string;
  readonly manifest: Manifest;
  readonly db: ScratchDatabase;
  /** The scratch canonical database. */
  readonly pool: Pool;
  readonly cdc: RunningCdc;
  readonly fed: FederationStack;
  /** This run's canonical events topic (deleted at the end). */
  readonly eventsTopic: string;
  stop(): Promise<void>;
}

/**
 * The whole path on the real stack for one test file: a scratch canonical database, the CDC pipeline (in this
 * process) starting at the change topics' current end, the five subgraphs and the gateway over it with an events
 * topic of their own, then a fresh seed written into the real sources, waited for until every record (and planted
 * exception) of the run has landed and the outbox is published.
 */
export async function seededFederation(purpose: string, seedArgs: readonly string[]): Promise<SeededFederation> {
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
  const fed = await startFederation({ databaseUrl: db.url, eventsTopic });
  await Promise.all(fed.subgraphs.map((s) => s.events.joined));
  const manifest = await runSeed([...seedArgs], seed);
  const c = manifest.controls;
  const planted = manifest.anomalies.filter((a) => a.expectedException).length;
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
      const apExpected = c['procurement.supplier_invoice']!.count + (planted ? 1 : 0);
      return (
        n.ar! >= c['billing.invoice']!.count &&
        n.ap! >= apExpected &&
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
    fed,
    eventsTopic,
    stop: async () => {
      await fed.stop().catch(() => undefined);
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

/** POSTs a GraphQL operation to the gateway and returns the parsed body. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
}
