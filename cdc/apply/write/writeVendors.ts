import type { VendorRow } from '../CanonicalRows';
import type { Db } from '../Db';
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
  { name: 'status', type: 'text', value: (p) => p.row.status },
  ...bookkeepingColumns<VendorRow>(),
];

/** Writes the round's vendors: new and changed golden records in one statement, deletions flagged. */
export async function writeVendors(db: Db, pending: ReadonlyMap<string, Pending<VendorRow>>): Promise<void> {
  await upsertRows(db, 'vendor', COLUMNS, withRows(pending.values()), { conflict: 'id', alsoSet: TOUCHED });
  await flagDeleted(db, 'vendor', pending);
}
