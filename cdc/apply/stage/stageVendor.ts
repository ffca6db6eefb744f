import { randomUUID } from 'node:crypto';
import type { VendorCandidate } from '../../../canonical-schema/model/candidates';
import { sourceKey } from '../batchLoaders';
import type { VendorRow } from '../CanonicalRows';
import { currentStatus, currentVendor, findVendorMatch } from '../lookups';
import { normalizeName } from '../normalizeName';
import type { Round } from '../Round';
import type { SourceRow } from '../SourceRow';
import { UnitOfWork } from '../UnitOfWork';

/** Above this trigram similarity of normalized names, two vendors are probably the same company. */
export const NAME_SIMILARITY_THRESHOLD = 0.8;

export type VendorOutcome =
  | {
      readonly kind: 'applied';
      readonly canonicalId: string;
      readonly oldStatus: string | null;
      readonly merged: boolean;
      /** Created, but it looks like a vendor another system knows: a warning for a person, until merged. */
      readonly possibleDuplicateOf?: { readonly id: string; readonly name: string; readonly similarity: number };
    }
  | { readonly kind: 'duplicate'; readonly existingId: string; readonly existingName: string; readonly reason: string };

/**
 * Applies a vendor to the golden record (in the round's unit of work). An existing source reference
 * updates its vendor. A new source row is matched against the entity's vendors: the same tax id or IBAN
 * held only by another source system's record links the two (one vendor, both references); a match within
 * the same source system, or a name alone that is nearly the same, is a duplicate for a person to decide —
 * never merged or created silently. A data steward's decision about this source row and the matched vendor
 * (`vendor_match_decision`) answers that question: SAME joins the golden record, DISTINCT creates the vendor.
 */
export async function stageVendor(
  round: Round,
  row: SourceRow,
  v: VendorCandidate,
  existingId: string | null,
  policy: { readonly keepStored?: readonly string[]; readonly systemOfRecord?: boolean } = {},
): Promise<VendorOutcome> {
  const keepStored = policy.keepStored ?? [];
  const { uow, loaders } = round;
  const normalizedName = normalizeName(v.name);
  const state = (id: string, correlationId: string): VendorRow => ({
    id,
    legalEntityId: v.legalEntityId,
    name: v.name,
    normalizedName,
    taxId: v.taxId,
    iban: v.iban,
    email: v.email,
    currency: v.currency,
    country: v.country,
    status: v.status,
    correlationId,
    sourceUpdatedAt: row.committedAt,
    mappingVersion: row.mappingVersion,
    deletedAtSource: false,
    mergedIntoId: null,
  });

  const decisions = await loaders.vendorDecisions.load(sourceKey(row.system, row.table, row.sourceId));

  if (existingId) {
    const stored = await loaders.vendor.load(existingId);
    const oldStatus = currentStatus(uow.vendors.get(existingId), stored);
    const now = await currentVendor(round, existingId);
    if (now && decisions.some((d) => d.decision === 'SAME' && d.existingVendorId === existingId)) {
      // A source row a steward joined to this golden record: its documents belong to the vendor, but it does not
      // rewrite the vendor's identity (its own tax id may differ; the record it joined governs).
      return { kind: 'applied', canonicalId: existingId, oldStatus, merged: true };
    }
    // The stored correlation id is kept on conflict; the row's own is only a placeholder here.
    const next: Record<string, unknown> = { ...state(existingId, stored?.correlationId ?? row.correlationId) };
    // Fields this source does not hold keep what the golden record has (another source gave them).
    for (const field of keepStored) if (now && field in now) next[field] = now[field as keyof VendorRow];
    if (now?.mergedIntoId) next.mergedIntoId = now.mergedIntoId;
    UnitOfWork.touch(uow.vendors, existingId, next as unknown as VendorRow, stored);
    return { kind: 'applied', canonicalId: existingId, oldStatus, merged: false };
  }

  const match = await findVendorMatch(round, {
    legalEntityId: v.legalEntityId,
    taxId: v.taxId,
    iban: v.iban,
    normalizedName,
  });
  const decided = match ? decisions.find((d) => d.existingVendorId === match.row.id) : undefined;
  if (match && decided?.decision === 'SAME') return joinGoldenRecord(round, match.row, v);
  if (match && !decided) {
    if (match.strong && !match.systems.has(row.system)) {
      // The same company seen by another system: link this source to the golden record, fill its gaps.
      return joinGoldenRecord(round, match.row, v);
    }
    const missingTaxId = v.taxId === null || match.row.taxId === null;
    if (
      !match.strong &&
      match.similarity >= NAME_SIMILARITY_THRESHOLD &&
      !match.systems.has(row.system) &&
      missingTaxId
    ) {
      // Another system's vendor with nearly this name, and a tax id missing on one side (the ERP sends a
      // party's tax identifier as a row of its own): create it, warn, and merge once a tax id proves it.
      const id = randomUUID();
      UnitOfWork.touch(uow.vendors, id, state(id, row.correlationId), null);
      return {
        kind: 'applied',
        canonicalId: id,
        oldStatus: null,
        merged: false,
        possibleDuplicateOf: { id: match.row.id, name: match.row.name, similarity: match.similarity },
      };
    }
    if (match.strong || match.similarity >= NAME_SIMILARITY_THRESHOLD) {
      const reason =
        v.taxId !== null && match.row.taxId === v.taxId
          ? `the same tax id ${v.taxId}`
          : v.iban !== null && match.row.iban === v.iban
            ? `the same bank account (IBAN ending ${v.iban.slice(-4)})`
            : `a nearly identical name (similarity ${match.similarity.toFixed(2)})`;
      return { kind: 'duplicate', existingId: match.row.id, existingName: match.row.name, reason };
    }
  }

  const id = randomUUID();
  UnitOfWork.touch(uow.vendors, id, state(id, row.correlationId), null);
  return { kind: 'applied', canonicalId: id, oldStatus: null, merged: false };
}

/** Links a source row to an existing golden record (one vendor, both references) and fills the record's gaps. */
async function joinGoldenRecord(round: Round, m: VendorRow, v: VendorCandidate): Promise<VendorOutcome> {
  const merged: VendorRow = {
    ...m,
    taxId: m.taxId ?? v.taxId,
    iban: m.iban ?? v.iban,
    email: m.email ?? v.email,
    currency: m.currency ?? v.currency,
    country: m.country ?? v.country,
  };
  UnitOfWork.touch(round.uow.vendors, m.id, merged, await round.loaders.vendor.load(m.id));
  return { kind: 'applied', canonicalId: m.id, oldStatus: null, merged: true };
}
