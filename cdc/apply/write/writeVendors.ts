import type { VendorRow } from '../CanonicalRows';
import type { Db } from '../../../canonical-schema/Db';
import type { Pending } from '../UnitOfWork';
import { bookkeepingColumns, flagDeleted, TOUCHED, withRows } from './bookkeeping';
import { upsertRows, type Column } from './unnestRows';

const COLUMNS: readonly Column<{ row: VendorRow; bump: number }>[] = [
  { name: 'id', type: 'uuid', value: (p) => p.row.id },
  { name: 'legal_entity_id', type: 'text', value: (p) => p.row.legalEntityId },
  { name: 'name', type: 'text', value: (p) => p.row.name },
  { name: 'normalized_name', type: 'text', value: (p) => p.row.normalizedName },
  { name: 'tax_id', type: 'text', value: (p) => p.row.taxId },
  { name: 'iban', type: 'text', value: (p) => p.row.iban },
  { name: 'email', type: 'text', value: (p) => p.row.email },
  { name: 'currency', type: 'text', value: (p) => p.row.currency },
  { name: 'country', type: 'text', value: (p) => p.row.country },
  { name: 'status', type: 'text', value: (p) => p.row.status },
  { name: 'merged_into_id', type: 'uuid', value: (p) => p.row.mergedIntoId },
  ...bookkeepingColumns<VendorRow>(),
];

/** Writes the round's vendors: new and changed golden records in one statement, deletions flagged. */
export async function writeVendors(db: Db, pending: ReadonlyMap<string, Pending<VendorRow>>): Promise<void> {
  await upsertRows(db, 'vendor', COLUMNS, withRows(pending.values()), { conflict: 'id', alsoSet: TOUCHED });
  await flagDeleted(db, 'vendor', pending);
}

/**
 * Completes the round's golden-record merges (vendor merged away → survivor): every source reference,
 * invoice and payment of the merged vendor now names the survivor, and the "possible duplicate" warnings
 * of either are resolved — the shared tax id settled the question.
 */
export async function writeVendorMerges(db: Db, merges: ReadonlyMap<string, string>): Promise<void> {
  if (!merges.size) return;
  const from = [...merges.keys()];
  const into = [...merges.values()];
  const params = [from, into];
  const pairs = `unnest($1::uuid[], $2::uuid[]) as m(from_id, into_id)`;
  await db.query(
    `update source_reference r set canonical_id = m.into_id, updated_at = now() from ${pairs}
      where r.object_type = 'VENDOR' and r.canonical_id = m.from_id`,
    params,
  );
  await db.query(`update invoice i set vendor_id = m.into_id from ${pairs} where i.vendor_id = m.from_id`, params);
  await db.query(`update payment p set vendor_id = m.into_id from ${pairs} where p.vendor_id = m.from_id`, params);
  await db.query(
    `update exception e set status = 'RESOLVED', resolved_at = now(),
            resolution_reason = 'Merged: the same tax id showed both records are the same company'
      where e.code = 'POSSIBLE_DUPLICATE_VENDOR' and e.status = 'OPEN'
        and (e.canonical_id = any($1::uuid[]) or e.canonical_id = any($2::uuid[]))`,
    params,
  );
}
