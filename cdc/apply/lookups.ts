import type { VendorRow } from './CanonicalRows';
import { sourceKey, type ExistingRecord, type StoredReference, type VendorMatchKey } from './batchLoaders';
import type { Round } from './Round';
import { trigramSimilarity } from './trigramSimilarity';

/**
 * Lookups as the round sees them: what earlier changes of the round decided (the unit of work) over what
 * the database held when the round began (the batch loaders).
 */

/** The canonical record a source row became, with the newest position applied to it. */
export async function lookupReference(
  round: Round,
  system: string,
  table: string,
  sourceId: string,
): Promise<StoredReference | null> {
  return (
    round.uow.reference(system, table, sourceId) ?? round.loaders.sourceRef.load(sourceKey(system, table, sourceId))
  );
}

/** A vendor's current state, or null when there is none. */
export async function currentVendor(round: Round, id: string): Promise<VendorRow | null> {
  const pending = round.uow.vendors.get(id);
  if (pending?.row) return pending.row;
  const stored = await round.loaders.vendor.load(id);
  return stored && pending ? { ...stored, deletedAtSource: true } : stored;
}

/** A vendor's or customer's name and status, as messages and the counterparty rules need them. */
export async function currentCounterparty(
  round: Round,
  type: 'VENDOR' | 'CUSTOMER',
  id: string,
): Promise<{ readonly name: string; readonly status: string } | null> {
  if (type === 'VENDOR') return currentVendor(round, id);
  return round.uow.customers.get(id)?.row ?? round.loaders.customer.load(id);
}

/** The status a record has right now in the round: its last change here, or the stored one. */
export function currentStatus<R extends { readonly status: string }>(
  pending: { readonly row: R | null; readonly statusBefore: string | null } | undefined,
  stored: ExistingRecord | { readonly status: string } | null,
): string | null {
  return pending?.row?.status ?? pending?.statusBefore ?? stored?.status ?? null;
}

/** An invoice header's entity and number (a line's messages name its invoice). */
export async function currentInvoiceHeader(
  round: Round,
  id: string,
): Promise<{ readonly legalEntityId: string; readonly number: string } | null> {
  const pending = round.uow.invoices.get(id)?.row;
  if (pending) return pending;
  const stored = await round.loaders.invoice.load(id);
  return stored ? { legalEntityId: stored.legalEntityId, number: stored.name } : null;
}

/** Another live invoice with the same counterparty, fiscal year and number, other than `excludeId`. */
export async function findInvoiceWithNumber(
  round: Round,
  args: {
    legalEntityId: string;
    counterpartyId: string;
    fiscalYear: number;
    number: string;
    excludeId: string | null;
  },
): Promise<{ readonly sourceId: string } | null> {
  const same = (r: {
    legalEntityId: string;
    vendorId: string | null;
    customerId: string | null;
    fiscalYear: number;
    number: string;
    deletedAtSource: boolean;
  }) =>
    !r.deletedAtSource &&
    r.legalEntityId === args.legalEntityId &&
    (r.vendorId === args.counterpartyId || r.customerId === args.counterpartyId) &&
    r.fiscalYear === args.fiscalYear &&
    r.number === args.number;
  for (const [id, p] of round.uow.invoices) {
    if (id !== args.excludeId && p.row && same(p.row)) {
      return { sourceId: round.uow.sourceOf.get(id)?.sourceId ?? id };
    }
  }
  // A counterparty this round created has no stored invoices: nothing to ask the database.
  const created =
    round.uow.vendors.get(args.counterpartyId)?.isNew || round.uow.customers.get(args.counterpartyId)?.isNew;
  if (created) return null;
  const stored = await round.loaders.invoicesNumbered.load(args);
  // A stored invoice the round changed counts as it is now.
  const hit = stored.find((s) => s.id !== args.excludeId && !round.uow.invoices.has(s.id));
  return hit ? { sourceId: hit.sourceId } : null;
}

/** The vendor a new supplier most resembles: same tax id or IBAN first, then the most similar name. */
export interface VendorCandidateMatch {
  readonly row: VendorRow;
  readonly strong: boolean;
  readonly similarity: number;
  readonly systems: ReadonlySet<string>;
}

/** pg_trgm's default `%` threshold: below it a name is not a candidate at all. */
const CANDIDATE_SIMILARITY = 0.3;

export async function findVendorMatch(
  round: Round,
  key: VendorMatchKey,
  excludeId: string | null = null,
): Promise<VendorCandidateMatch | null> {
  const { uow } = round;
  const candidates: VendorCandidateMatch[] = [];
  const consider = (row: VendorRow, similarity: number, systems: Iterable<string>) => {
    if (row.deletedAtSource || row.mergedIntoId || row.id === excludeId || row.legalEntityId !== key.legalEntityId)
      return;
    const strong = (key.taxId !== null && row.taxId === key.taxId) || (key.iban !== null && row.iban === key.iban);
    if (!strong && similarity < CANDIDATE_SIMILARITY) return;
    candidates.push({
      row,
      strong,
      similarity,
      systems: new Set([...systems, ...(uow.vendorSystems.get(row.id) ?? [])]),
    });
  };
  for (const m of await round.loaders.vendorMatches.load(key)) {
    const pending = uow.vendors.get(m.row.id);
    if (!pending) consider(m.row, m.similarity, m.systems);
    else if (pending.row)
      consider(pending.row, trigramSimilarity(pending.row.normalizedName, key.normalizedName), m.systems);
  }
  // Vendors written earlier in this round are not in the database yet: compare them here.
  for (const [id, p] of uow.vendors) {
    if (!p.row || candidates.some((c) => c.row.id === id)) continue;
    consider(p.row, trigramSimilarity(p.row.normalizedName, key.normalizedName), []);
  }
  candidates.sort((a, b) => Number(b.strong) - Number(a.strong) || b.similarity - a.similarity);
  return candidates[0] ?? null;
}
