import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { extractIBAN } from 'ibantools';
import { raiseException } from '../../cdc/exceptions/raiseException';
import { writeOutbox } from '../../cdc/outbox/writeOutbox';
import type { ErpConnector } from '../../erp/connector/ErpConnector';
import { ErpUnavailableError } from '../../erp/connector/ErpUnavailableError';
import { runComplianceChecks, taxIdKind, type CheckFailure, type OnboardingVendor } from './complianceChecks';
import {
  ERP_ACKNOWLEDGED,
  OPEN_ONBOARDING_EXCEPTIONS,
  RECORD_ACTIVATED,
  RECORD_CHECKS,
  RECORD_PARTY_REQUESTED,
  RESOLVE_EXCEPTIONS,
  VENDORS_TO_ONBOARD,
} from './sql/onboardingSql';

export interface OnboardingDeps {
  readonly pool: Pool;
  readonly erp: ErpConnector;
  readonly logger: Logger;
  /**
   * Only the vendors whose source row id starts with this (default: every vendor). A test on the shared stack
   * onboards its own suppliers only, and leaves the ERP parties of other people's data alone.
   */
  readonly sourceIdPrefix?: string | null;
}

/** What one pass did. */
export interface OnboardingPass {
  checked: number;
  failed: number;
  requested: number;
  activated: number;
  /** The ERP could not be reached: the vendors that need it wait for the next pass. */
  erpUnavailable: boolean;
}

/** A vendor as onboarding sees it (sql/onboardingSql.ts `VENDOR_WORK`). */
export interface VendorWork {
  readonly id: string;
  readonly legal_entity_id: string;
  readonly name: string;
  readonly tax_id: string | null;
  readonly iban: string | null;
  readonly country: string | null;
  readonly version: number;
  readonly correlation_id: string;
  readonly state: 'CHECKS_PENDING' | 'CHECKS_FAILED' | 'PARTY_REQUESTED' | 'ACTIVATED' | null;
  readonly checked_version: number | null;
  readonly identity: Identity | null;
  readonly erp_party_id: string | null;
  readonly source_system: string | null;
  readonly source_table: string | null;
  readonly source_id: string | null;
  readonly possible_duplicates: string[];
}

export interface Identity {
  readonly taxId: string | null;
  readonly iban: string | null;
  readonly country: string | null;
}

/** Only one onboarding pass at a time, whatever the number of processes (a session-level advisory lock). */
const LOCK = `select pg_try_advisory_lock(hashtext('finsync:flow:VENDOR_ONBOARDING')) as locked`;
const UNLOCK = `select pg_advisory_unlock(hashtext('finsync:flow:VENDOR_ONBOARDING'))`;

/**
 * One pass of the VENDOR_ONBOARDING flow over the vendors that need it:
 *   checks    tax id and IBAN valid for the vendor's country, no open duplicate question (complianceChecks) —
 *             a failure keeps the vendor unactivated with one exception per failed check (naming the vendor and
 *             the field); a vendor that changes at its source is checked again
 *   party     the vendor becomes an ERP party with its tax identifier and bank account, found before it is
 *             created (a pass after a crash creates nothing twice); an unreachable ERP leaves it for the next pass
 *   activate  once the ERP's party and its identifier have come back through CDC and joined the vendor's golden
 *             record with the same tax id: ACTIVATED (vendor_activation), announced as VENDOR_ACTIVATED
 * Each vendor's step commits on its own. Throws only when Postgres fails.
 */
export async function advanceVendorOnboarding(deps: OnboardingDeps, limit = 50): Promise<OnboardingPass> {
  const pass: OnboardingPass = { checked: 0, failed: 0, requested: 0, activated: 0, erpUnavailable: false };
  const client = await deps.pool.connect();
  try {
    const { rows: lock } = await client.query<{ locked: boolean }>(LOCK);
    if (!lock[0]?.locked) return pass;
    try {
      const { rows } = await client.query<VendorWork>(VENDORS_TO_ONBOARD, [limit, deps.sourceIdPrefix ?? null]);
      for (const v of rows) {
        if (pass.erpUnavailable && !(v.state === 'PARTY_REQUESTED' && v.checked_version === v.version)) continue;
        await advanceOne(client, deps, v, pass);
      }
    } finally {
      await client.query(UNLOCK);
    }
  } finally {
    client.release();
  }
  return pass;
}

async function advanceOne(client: PoolClient, deps: OnboardingDeps, v: VendorWork, pass: OnboardingPass) {
  const identity: Identity = { taxId: v.tax_id, iban: v.iban, country: v.country };
  if (v.state === 'PARTY_REQUESTED' && v.checked_version === v.version) {
    await acknowledgeIfBack(client, v, pass);
    return;
  }
  const failures = runComplianceChecks(onboardingVendor(v));
  pass.checked++;
  if (failures.length) {
    await fail(client, v, identity, failures);
    pass.failed++;
    return;
  }
  const requestedBefore =
    (v.state === 'PARTY_REQUESTED' || v.state === 'ACTIVATED') && sameIdentity(v.identity, identity);
  await transaction(client, async () => {
    await client.query(RECORD_CHECKS, [
      v.id,
      v.legal_entity_id,
      requestedBefore ? v.state : 'CHECKS_PENDING',
      v.version,
      identity,
      '[]',
    ]);
    await resolveOnboardingExceptions(client, v.id, new Set());
  });
  if (requestedBefore) {
    if (v.state === 'PARTY_REQUESTED') await acknowledgeIfBack(client, v, pass);
    return;
  }
  await requestParty(client, deps, v, identity, pass);
}

/** Asks the ERP for the vendor's party (found or created); records the request, or the ERP's refusal. */
async function requestParty(
  client: PoolClient,
  deps: OnboardingDeps,
  v: VendorWork,
  identity: Identity,
  pass: OnboardingPass,
): Promise<void> {
  const kind = taxIdKind(v.country!)!;
  let outcome;
  try {
    outcome = await deps.erp.ensureVendorParty({
      name: v.name,
      taxId: v.tax_id!,
      taxIdType: kind.erpType,
      iban: v.iban,
      bankName: v.iban ? bankName(v.iban) : '',
    });
  } catch (err) {
    if (!(err instanceof ErpUnavailableError)) throw err;
    // Fallback "queue": the vendor stays CHECKS_PENDING (checks passed) and is asked for again next pass.
    deps.logger.warn({ vendor: v.id, err: err.message }, 'ERP unreachable; vendor onboarding waits for it');
    pass.erpUnavailable = true;
    return;
  }
  if (!outcome.ok) {
    await fail(client, v, identity, [
      {
        check: 'TAX_ID',
        code: 'ERP_REFUSED_PARTY',
        field: 'taxId',
        message: `Vendor ${v.name} could not become a party in the ERP (${deps.erp.system}), which refused it: ${outcome.refusal}`,
      },
    ]);
    pass.failed++;
    return;
  }
  await transaction(client, async () => {
    await client.query(RECORD_PARTY_REQUESTED, [v.id, deps.erp.system, outcome.party.id]);
    await writeOutbox(client, {
      aggregateType: 'VENDOR',
      aggregateId: v.id,
      correlationId: v.correlation_id,
      eventType: 'VENDOR_PARTY_REQUESTED',
      oldStatus: v.state,
      newStatus: 'PARTY_REQUESTED',
      legalEntityId: v.legal_entity_id,
      payload: { erp: deps.erp.system, partyId: outcome.party.id, created: outcome.created },
    });
  });
  pass.requested++;
  deps.logger.info({ vendor: v.id, party: outcome.party.id, created: outcome.created }, 'vendor party requested');
  await acknowledgeIfBack(client, { ...v, state: 'PARTY_REQUESTED', erp_party_id: outcome.party.id }, pass);
}

/** ACTIVATED once the ERP's party has come back through CDC as this vendor, with the same tax id. */
async function acknowledgeIfBack(client: PoolClient, v: VendorWork, pass: OnboardingPass): Promise<void> {
  if (!v.erp_party_id || !v.tax_id) return;
  const { rows } = await client.query<{ acknowledged: boolean }>(ERP_ACKNOWLEDGED, [v.id, v.erp_party_id, v.tax_id]);
  if (!rows[0]?.acknowledged) return;
  await transaction(client, async () => {
    const done = await client.query(RECORD_ACTIVATED, [v.id]);
    if (!done.rowCount) return;
    await writeOutbox(client, {
      aggregateType: 'VENDOR',
      aggregateId: v.id,
      correlationId: v.correlation_id,
      eventType: 'VENDOR_ACTIVATED',
      oldStatus: 'PARTY_REQUESTED',
      newStatus: 'ACTIVATED',
      legalEntityId: v.legal_entity_id,
      payload: { erpPartyId: v.erp_party_id },
    });
    pass.activated++;
  });
}

/** The vendor stays unactivated: one open exception per failed check, older ones that no longer fail resolved. */
async function fail(client: PoolClient, v: VendorWork, identity: Identity, failures: readonly CheckFailure[]) {
  await transaction(client, async () => {
    await client.query(RECORD_CHECKS, [
      v.id,
      v.legal_entity_id,
      'CHECKS_FAILED',
      v.version,
      identity,
      JSON.stringify(failures),
    ]);
    const keep = new Set<string>();
    for (const f of failures) {
      // An open possible-duplicate warning is already the work item of that check.
      if (f.check === 'NOT_DUPLICATE') continue;
      const fingerprint = `VENDOR_ONBOARDING|${v.id}|${f.check}|${f.code}`;
      const raised = await raiseException(client, {
        code: f.code,
        message: `${f.message}.`,
        ruleId: `VENDOR_ONBOARDING.${f.check}`,
        ruleVersion: 1,
        objectType: 'VENDOR',
        field: f.field,
        legalEntityId: v.legal_entity_id,
        source: v.source_system ? { system: v.source_system, table: v.source_table!, sourceId: v.source_id! } : null,
        canonicalId: v.id,
        correlationId: v.correlation_id,
        sourceEvent: { vendorId: v.id, check: f.check, identity },
        fingerprint,
      });
      keep.add(raised.id);
    }
    await resolveOnboardingExceptions(client, v.id, keep);
  });
}

async function resolveOnboardingExceptions(client: PoolClient, vendorId: string, keep: ReadonlySet<string>) {
  const { rows } = await client.query<{ id: string }>(OPEN_ONBOARDING_EXCEPTIONS, [vendorId]);
  const stale = rows.map((r) => r.id).filter((id) => !keep.has(id));
  if (stale.length) {
    await client.query(RESOLVE_EXCEPTIONS, [stale, 'Corrected at source: the vendor passes this check now']);
  }
}

/** What the compliance checks look at, from the vendor's row. */
export function onboardingVendor(v: VendorWork): OnboardingVendor {
  return {
    name: v.name,
    sourceLabel: v.source_system ? `${v.source_system} ${v.source_table} ${v.source_id}` : `canonical vendor ${v.id}`,
    country: v.country,
    taxId: v.tax_id,
    iban: v.iban,
    possibleDuplicates: v.possible_duplicates,
  };
}

function sameIdentity(a: Identity | null, b: Identity): boolean {
  return !!a && a.taxId === b.taxId && a.iban === b.iban && a.country === b.country;
}

/** How the ERP keeps the IBAN's bank: by country and national bank code (`Bank DE 37040044`). */
export function bankName(iban: string): string {
  const parts = extractIBAN(iban);
  return `Bank ${parts.countryCode ?? iban.slice(0, 2)} ${parts.bankIdentifier ?? parts.bban?.slice(0, 8) ?? ''}`.trim();
}

export async function transaction(client: PoolClient, work: () => Promise<void>): Promise<void> {
  await client.query('begin');
  try {
    await work();
    await client.query('commit');
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  }
}
