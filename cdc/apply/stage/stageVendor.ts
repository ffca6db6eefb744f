import { randomUUID } from 'node:crypto';
import type { VendorCandidate } from '../../../canonical-schema/model/candidates';
import type { VendorRow } from '../CanonicalRows';
import { currentStatus, findVendorMatch } from '../lookups';
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
    }
  | { readonly kind: 'duplicate'; readonly existingId: string; readonly existingName: string; readonly reason: string };

/**
 * Applies a vendor to the golden record (in the round's unit of work). An existing source reference
 * updates its vendor. A new source row is matched against the entity's vendors: the same tax id or IBAN
 * held only by another source system's record links the two (one vendor, both references); a match within
 * the same source system, or a name alone that is nearly the same, is a duplicate for a person to decide —
 * never merged or created silently.
 */
export async function stageVendor(
  round: Round,
  row: SourceRow,
  v: VendorCandidate,
  existingId: string | null,
): Promise<VendorOutcome> {
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
    status: v.status,
    correlationId,
    sourceUpdatedAt: row.committedAt,
    mappingVersion: row.mappingVersion,
    deletedAtSource: false,
  });

  if (existingId) {
    const stored = await loaders.vendor.load(existingId);
    const oldStatus = currentStatus(uow.vendors.get(existingId), stored);
    // The stored correlation id is kept on conflict; the row's own is only a placeholder here.
    UnitOfWork.touch(uow.vendors, existingId, state(existingId, stored?.correlationId ?? row.correlationId), stored);
    return { kind: 'applied', canonicalId: existingId, oldStatus, merged: false };
  }

  const match = await findVendorMatch(round, {
    legalEntityId: v.legalEntityId,
    taxId: v.taxId,
    iban: v.iban,
    normalizedName,
  });
  if (match) {
    if (match.strong && !match.systems.has(row.system)) {
      // The same company seen by another system: link this source to the golden record, fill its gaps.
      const m = match.row;
      const merged: VendorRow = {
        ...m,
        taxId: m.taxId ?? v.taxId,
        iban: m.iban ?? v.iban,
        email: m.email ?? v.email,
        currency: m.currency ?? v.currency,
      };
      UnitOfWork.touch(uow.vendors, m.id, merged, await loaders.vendor.load(m.id));
      return { kind: 'applied', canonicalId: m.id, oldStatus: null, merged: true };
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
