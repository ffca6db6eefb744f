import { VendorCandidate } from '../../../canonical-schema/model/candidates';
import type { VendorRow } from '../CanonicalRows';
import { currentVendor, findVendorMatch } from '../lookups';
import type { Round } from '../Round';
import type { SourceRow } from '../SourceRow';
import { UnitOfWork } from '../UnitOfWork';

/** The vendor fields another source row may contribute (the ERP's tax identifiers of a party). */
const Attributes = VendorCandidate.pick({ taxId: true, iban: true, email: true }).partial();

export type AttributeOutcome =
  | { readonly kind: 'applied'; readonly canonicalId: string; readonly mergedFrom: string | null }
  | { readonly kind: 'invalid'; readonly problems: ReadonlyArray<{ field: string; message: string }> }
  | { readonly kind: 'duplicate'; readonly existingId: string; readonly existingName: string; readonly reason: string }
  | { readonly kind: 'missing' };

/**
 * Adds attributes (a tax id …) to the golden record a source row became. When the new tax id or IBAN is held
 * by a vendor that only other systems know, the two are the same company: this record is merged into that one
 * (its references, invoices and payments move over, it points at the survivor, the survivor's gaps are filled).
 * The same tax id on another vendor of the same system is a duplicate for a person to decide.
 */
export async function stageVendorAttributes(
  round: Round,
  row: SourceRow,
  vendorId: string,
  mapped: Readonly<Record<string, unknown>>,
): Promise<AttributeOutcome> {
  const parsed = Attributes.safeParse(mapped);
  if (!parsed.success) {
    return {
      kind: 'invalid',
      problems: parsed.error.issues.map((i) => ({
        field: i.path.join('.'),
        message: `${i.path.join('.')} ${i.message}`,
      })),
    };
  }
  const { uow, loaders } = round;
  let current = await currentVendor(round, vendorId);
  if (current?.mergedIntoId) current = await currentVendor(round, current.mergedIntoId);
  if (!current) return { kind: 'missing' };
  const patched: VendorRow = { ...current, ...parsed.data };
  const match =
    patched.taxId !== current.taxId || patched.iban !== current.iban
      ? await findVendorMatch(
          round,
          {
            legalEntityId: patched.legalEntityId,
            taxId: patched.taxId,
            iban: patched.iban,
            normalizedName: patched.normalizedName,
          },
          current.id,
        )
      : null;
  if (match?.strong && match.systems.has(row.system)) {
    const reason =
      patched.taxId !== null && match.row.taxId === patched.taxId
        ? `the same tax id ${patched.taxId}`
        : `the same bank account (IBAN ending ${String(patched.iban).slice(-4)})`;
    return { kind: 'duplicate', existingId: match.row.id, existingName: match.row.name, reason };
  }
  if (match?.strong) {
    const survivor = match.row;
    UnitOfWork.touch(
      uow.vendors,
      survivor.id,
      {
        ...survivor,
        taxId: survivor.taxId ?? patched.taxId,
        iban: survivor.iban ?? patched.iban,
        email: survivor.email ?? patched.email,
        currency: survivor.currency ?? patched.currency,
        country: survivor.country ?? patched.country,
      },
      await loaders.vendor.load(survivor.id),
    );
    UnitOfWork.touch(
      uow.vendors,
      current.id,
      { ...patched, mergedIntoId: survivor.id },
      await loaders.vendor.load(current.id),
    );
    uow.mergeVendor(current.id, survivor.id);
    return { kind: 'applied', canonicalId: survivor.id, mergedFrom: current.id };
  }
  UnitOfWork.touch(uow.vendors, current.id, patched, await loaders.vendor.load(current.id));
  return { kind: 'applied', canonicalId: current.id, mergedFrom: null };
}
