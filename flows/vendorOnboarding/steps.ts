import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { writeOutbox } from '../../cdc/outbox/writeOutbox';
import type { ErpConnector } from '../../erp/connector/ErpConnector';
import { ErpUnavailableError } from '../../erp/connector/ErpUnavailableError';
import { bankName, onboardingVendor, transaction, type VendorWork } from './advanceVendorOnboarding';
import { COMPLIANCE_CHECKS, taxIdKind, type CheckId } from './complianceChecks';
import {
  ERP_ACKNOWLEDGED,
  RECORD_ACTIVATED,
  RECORD_CHECKS,
  RECORD_PARTY_REQUESTED,
  VENDOR_BY_ID,
} from './sql/onboardingSql';

/*
 * The VENDOR_ONBOARDING steps in the shape of the flow engine's hooks (flows/steps/FlowSteps.ts on the `flows` branch,
 * issue 12 part B): the definition PROCUREMENT_SUPPLIERS names the checks TAX_ID_VALID_FOR_COUNTRY,
 * IBAN_VALID_FOR_COUNTRY, NOT_A_DUPLICATE_VENDOR, the action CREATE_ERP_PARTY and the completion
 * ERP_ACKNOWLEDGED_VENDOR. The types below are the parts of those hooks these steps use, declared here so that this
 * folder compiles on its own; they are structurally the engine's, so its registry takes `VENDOR_ONBOARDING_STEPS`
 * as it is. The steps keep `vendor_onboarding` (what `vendor_activation` reads) up to date as they go; with the engine
 * routing the flow, `flows/main.ts` no longer runs `runVendorOnboarding` (one of the two drives a vendor, not both).
 */

/** What the steps use of the engine's `StepContext`. */
export interface OnboardingStepContext {
  readonly pool: Pool;
  readonly erp: ErpConnector;
  readonly logger: Logger;
}

/** What the steps use of the engine's `CanonicalDocument` (a VENDOR). */
export interface OnboardingDocument {
  readonly canonicalId: string;
}

/** What the steps use of the engine's `FlowDocumentState`. */
export interface OnboardingDocumentState {
  /** The ERP party id the action returned as its reference. */
  readonly actionReference: string | null;
}

export interface FlowProblem {
  readonly code: string;
  readonly field: string | null;
  readonly message: string;
}

export type ActionOutcome =
  | { readonly kind: 'STARTED'; readonly reference: string | null; readonly note: string }
  | { readonly kind: 'REFUSED'; readonly problems: readonly FlowProblem[] }
  | { readonly kind: 'UNAVAILABLE'; readonly reason: string };

export type CompletionOutcome =
  | { readonly done: true; readonly note?: string }
  | { readonly done: false; readonly reason: string; readonly wakeKey?: string }
  | { readonly done: false; readonly failed: FlowProblem };

async function loadVendor(pool: Pool, id: string): Promise<VendorWork | null> {
  const { rows } = await pool.query<VendorWork>(VENDOR_BY_ID, [id]);
  return rows[0] ?? null;
}

const gone = (id: string): FlowProblem => ({ code: 'APPLY_FAILED', field: null, message: `Vendor ${id} is gone` });

/** A check step running compliance checks by id; a failure is also recorded as the vendor's onboarding state. */
function check(ids: readonly CheckId[]) {
  return async (ctx: OnboardingStepContext, doc: OnboardingDocument): Promise<readonly FlowProblem[]> => {
    const v = await loadVendor(ctx.pool, doc.canonicalId);
    if (!v) return [gone(doc.canonicalId)];
    const vendor = onboardingVendor(v);
    const failures = ids.flatMap((id) => COMPLIANCE_CHECKS[id](vendor) ?? []);
    if (failures.length) {
      await ctx.pool.query(RECORD_CHECKS, [
        v.id,
        v.legal_entity_id,
        'CHECKS_FAILED',
        v.version,
        { taxId: v.tax_id, iban: v.iban, country: v.country },
        JSON.stringify(failures),
      ]);
    }
    return failures.map((f) => ({ code: f.code, field: f.field, message: `${f.message}.` }));
  };
}

/** CREATE_ERP_PARTY: the vendor's party in the ERP, with its identifier and bank account (found or created). */
async function createErpParty(ctx: OnboardingStepContext, doc: OnboardingDocument): Promise<ActionOutcome> {
  const v = await loadVendor(ctx.pool, doc.canonicalId);
  if (!v) return { kind: 'REFUSED', problems: [gone(doc.canonicalId)] };
  const kind = v.country ? taxIdKind(v.country) : null;
  if (!kind || !v.tax_id) {
    // The checks hold such a vendor before the action; reaching here means the definition lost its checks.
    return {
      kind: 'REFUSED',
      problems: [{ code: 'INVALID_TAX_ID', field: 'taxId', message: `Vendor ${v.name} has no tax id to check` }],
    };
  }
  let outcome;
  try {
    outcome = await ctx.erp.ensureVendorParty({
      name: v.name,
      taxId: v.tax_id,
      taxIdType: kind.erpType,
      iban: v.iban,
      bankName: v.iban ? bankName(v.iban) : '',
    });
  } catch (err) {
    if (err instanceof ErpUnavailableError) return { kind: 'UNAVAILABLE', reason: err.message };
    throw err;
  }
  if (!outcome.ok) {
    return {
      kind: 'REFUSED',
      problems: [
        {
          code: 'ERP_REFUSED_PARTY',
          field: 'taxId',
          message: `Vendor ${v.name} could not become a party in the ERP (${ctx.erp.system}), which refused it: ${outcome.refusal}`,
        },
      ],
    };
  }
  const party = outcome.party;
  const client = await ctx.pool.connect();
  try {
    await transaction(client, async () => {
      await client.query(RECORD_CHECKS, [
        v.id,
        v.legal_entity_id,
        'CHECKS_PENDING',
        v.version,
        { taxId: v.tax_id, iban: v.iban, country: v.country },
        '[]',
      ]);
      await client.query(RECORD_PARTY_REQUESTED, [v.id, ctx.erp.system, party.id]);
    });
  } finally {
    client.release();
  }
  return {
    kind: 'STARTED',
    reference: party.id,
    note: `party ${party.id} ${outcome.created ? 'created' : 'found'} in the ERP`,
  };
}

/** ERP_ACKNOWLEDGED_VENDOR: done once the ERP's party came back through CDC as this vendor (same tax id). */
async function erpAcknowledgedVendor(
  ctx: OnboardingStepContext,
  doc: OnboardingDocument,
  state: OnboardingDocumentState,
): Promise<CompletionOutcome> {
  const v = await loadVendor(ctx.pool, doc.canonicalId);
  if (!v) return { done: false, failed: gone(doc.canonicalId) };
  const partyId = state.actionReference ?? v.erp_party_id;
  const wakeKey = `VENDOR:${v.id}`;
  if (!partyId || !v.tax_id) return { done: false, reason: 'no party was requested in the ERP yet', wakeKey };
  const { rows } = await ctx.pool.query<{ acknowledged: boolean }>(ERP_ACKNOWLEDGED, [v.id, partyId, v.tax_id]);
  if (!rows[0]?.acknowledged) {
    return {
      done: false,
      reason: `waiting for the ERP's party ${partyId} to come back through CDC with tax id ${v.tax_id}`,
      wakeKey,
    };
  }
  const client = await ctx.pool.connect();
  try {
    await transaction(client, async () => {
      const activated = await client.query(RECORD_ACTIVATED, [v.id]);
      if (!activated.rowCount) return;
      await writeOutbox(client, {
        aggregateType: 'VENDOR',
        aggregateId: v.id,
        correlationId: v.correlation_id,
        eventType: 'VENDOR_ACTIVATED',
        oldStatus: 'PARTY_REQUESTED',
        newStatus: 'ACTIVATED',
        legalEntityId: v.legal_entity_id,
        payload: { erpPartyId: partyId },
      });
    });
  } finally {
    client.release();
  }
  return { done: true, note: `activated: the ERP acknowledged party ${partyId}` };
}

/** The steps the PROCUREMENT_SUPPLIERS definition names, for the engine's registry (`...VENDOR_ONBOARDING_STEPS`). */
export const VENDOR_ONBOARDING_STEPS = {
  prerequisites: {},
  checks: {
    TAX_ID_VALID_FOR_COUNTRY: check(['COUNTRY', 'TAX_ID']),
    IBAN_VALID_FOR_COUNTRY: check(['IBAN']),
    NOT_A_DUPLICATE_VENDOR: check(['NOT_DUPLICATE']),
  },
  actions: { CREATE_ERP_PARTY: createErpParty },
  completions: { ERP_ACKNOWLEDGED_VENDOR: erpAcknowledgedVendor },
} as const;
