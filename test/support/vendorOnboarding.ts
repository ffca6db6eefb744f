import { randomInt, randomUUID } from 'node:crypto';
import { composeIBAN } from 'ibantools';
import { Kafka, logLevel } from 'kafkajs';
import { Client, type Pool } from 'pg';
import pino from 'pino';
import { stdnum } from 'stdnum';
import { loadCdcConfig } from '../../cdc/config';
import { startCdc, type RunningCdc } from '../../cdc/startCdc';
import type { ErpConnector } from '../../erp/connector/ErpConnector';
import { runVendorOnboarding } from '../../flows/vendorOnboarding/runVendorOnboarding';
import { changeTopicEnds, storeGroupOffsets } from './changeTopicOffsets';
import { stackEnv } from './stackEnv';
import { waitFor } from './waitFor';

/** A German VAT number no one used before (random, with the check digit stdnum-js accepts). */
export function freshGermanVat(): string {
  for (;;) {
    const base = `DE${String(randomInt(10_000_000, 99_999_999))}`;
    for (let d = 0; d < 10; d++) if (stdnum.DE!.vat!.validate(`${base}${d}`).isValid) return `${base}${d}`;
  }
}

/** A German IBAN no one used before (random account number, check digits from ibantools). */
export function freshGermanIban(): string {
  const iban = composeIBAN({ countryCode: 'DE', bban: `37040044${String(randomInt(1_000_000_000, 9_999_999_999))}` });
  if (!iban) throw new Error('no IBAN composed');
  return iban;
}

/** A procurement supplier row (stack/postgres/sources/procurement.sql). */
export interface SupplierRow {
  readonly code: string;
  readonly name: string;
  readonly taxId: string;
  readonly iban: string | null;
  readonly country?: string;
  readonly currency?: string;
  readonly status?: 'DRAFT' | 'PENDING_REVIEW' | 'APPROVED' | 'SUSPENDED';
}

/** The procurement source database (the stand-in SaaS that Debezium captures). */
export async function procurement(): Promise<Client> {
  const client = new Client(stackEnv.procurementPg);
  await client.connect();
  return client;
}

export async function insertSupplier(client: Client, s: SupplierRow): Promise<void> {
  await client.query(
    `insert into supplier (supplier_code, legal_name, tax_id, iban, email, onboarding_status, currency, legal_entity, country)
     values ($1, $2, $3, $4, 'ap@example.test', $5, $6, 'FS-EU', $7)`,
    [s.code, s.name, s.taxId, s.iban, s.status ?? 'APPROVED', s.currency ?? 'EUR', s.country ?? 'DE'],
  );
}

/** The CDC pipeline into a scratch canonical database, and the VENDOR_ONBOARDING flow over it. */
export interface OnboardingStack {
  readonly cdc: RunningCdc;
  /** This run's canonical events topic (deleted by `stop`). */
  readonly eventsTopic: string;
  /** Starts the onboarding flow (when `startFlow: false` held it back). */
  startFlow(): void;
  /** Waits until the vendor built from this supplier code is ACTIVATED; returns its id. */
  activated(supplierCode: string, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the CDC pipeline (from the change topics' current ends) over the given scratch database and the vendor
 * onboarding flow for the suppliers whose code starts with `prefix`, against the stack's Tryton: a supplier written
 * into procurement is captured, checked, becomes a Tryton party, comes back through CDC and is activated — the real
 * path, nothing stubbed.
 */
export async function startOnboardingStack(options: {
  readonly pool: Pool;
  readonly databaseUrl: string;
  readonly purpose: string;
  readonly prefix: string;
  readonly erp: ErpConnector;
  /** Start the flow at once (default) or only on `startFlow()` (to see what waits for it first). */
  readonly startFlow?: boolean;
}): Promise<OnboardingStack> {
  const run = randomUUID().slice(0, 8);
  const eventsTopic = `finsync.test.${options.purpose}.events.${run}`;
  const groupId = `finsync-test-${options.purpose}-${run}`;
  await storeGroupOffsets(options.pool, groupId, await changeTopicEnds());
  const cdc = await startCdc(
    { ...loadCdcConfig({}), databaseUrl: options.databaseUrl, groupId, eventsTopic },
    pino({ level: 'warn' }),
  );
  await cdc.joined;
  let onboarding: ReturnType<typeof runVendorOnboarding> | null = null;
  const startFlow = () => {
    onboarding ??= runVendorOnboarding({
      pool: options.pool,
      erp: options.erp,
      logger: pino({ level: process.env.FINSYNC_TEST_LOG_LEVEL ?? 'warn' }),
      intervalMs: 200,
      sourceIdPrefix: options.prefix,
    });
  };
  if (options.startFlow !== false) startFlow();
  return {
    cdc,
    eventsTopic,
    startFlow,
    async activated(supplierCode, timeoutMs = 60_000) {
      let vendorId = '';
      await waitFor(
        async () => {
          const { rows } = await options.pool.query<{ id: string; state: string }>(
            `select a.vendor_id::text as id, a.state from source_reference r
               join vendor_activation a on a.vendor_id = r.canonical_id
              where r.system = 'procurement' and r.source_table = 'public.supplier' and r.source_id = $1`,
            [supplierCode],
          );
          vendorId = rows[0]?.id ?? '';
          return rows[0]?.state === 'ACTIVATED';
        },
        timeoutMs,
        `supplier ${supplierCode}'s vendor to be activated`,
        200,
      );
      return vendorId;
    },
    async stop() {
      await onboarding?.stop();
      await cdc.stop();
      const admin = new Kafka({ brokers: [...stackEnv.kafkaBrokers], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [eventsTopic] }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}
