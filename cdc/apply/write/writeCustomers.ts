import type { CustomerRow } from '../CanonicalRows';
import type { Db } from '../../../canonical-schema/Db';
import type { Pending } from '../UnitOfWork';
import { bookkeepingColumns, flagDeleted, TOUCHED, withRows } from './bookkeeping';
import { upsertRows, type Column } from './unnestRows';

const COLUMNS: readonly Column<{ row: CustomerRow; bump: number }>[] = [
  { name: 'id', type: 'uuid', value: (p) => p.row.id },
  { name: 'legal_entity_id', type: 'text', value: (p) => p.row.legalEntityId },
  { name: 'name', type: 'text', value: (p) => p.row.name },
  { name: 'tax_id', type: 'text', value: (p) => p.row.taxId },
  { name: 'email', type: 'text', value: (p) => p.row.email },
  { name: 'currency', type: 'text', value: (p) => p.row.currency },
  { name: 'status', type: 'text', value: (p) => p.row.status },
  ...bookkeepingColumns<CustomerRow>(),
];

/** Writes the round's customers in one statement; deletions are flagged. */
export async function writeCustomers(db: Db, pending: ReadonlyMap<string, Pending<CustomerRow>>): Promise<void> {
  await upsertRows(db, 'customer', COLUMNS, withRows(pending.values()), { conflict: 'id', alsoSet: TOUCHED });
  await flagDeleted(db, 'customer', pending);
}
