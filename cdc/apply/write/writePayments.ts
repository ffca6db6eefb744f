import type { PaymentRow } from '../CanonicalRows';
import type { Db } from '../../../canonical-schema/Db';
import type { Pending } from '../UnitOfWork';
import { bookkeepingColumns, flagDeleted, TOUCHED, withRows } from './bookkeeping';
import { upsertRows, type Column } from './unnestRows';

const COLUMNS: readonly Column<{ row: PaymentRow; bump: number }>[] = [
  { name: 'id', type: 'uuid', value: (p) => p.row.id },
  { name: 'legal_entity_id', type: 'text', value: (p) => p.row.legalEntityId },
  { name: 'direction', type: 'text', value: (p) => p.row.direction },
  { name: 'vendor_id', type: 'uuid', value: (p) => p.row.vendorId },
  { name: 'customer_id', type: 'uuid', value: (p) => p.row.customerId },
  { name: 'payment_date', type: 'date', value: (p) => p.row.paymentDate },
  { name: 'currency', type: 'text', value: (p) => p.row.currency },
  { name: 'total_amount', type: 'numeric', value: (p) => p.row.totalAmount },
  { name: 'reference', type: 'text', value: (p) => p.row.reference },
  { name: 'status', type: 'text', value: (p) => p.row.status },
  ...bookkeepingColumns<PaymentRow>(),
];

type Allocation = { paymentId: string; invoiceId: string; amount: string; currency: string };
const ALLOCATION_COLUMNS: readonly Column<Allocation>[] = [
  { name: 'payment_id', type: 'uuid', value: (a) => a.paymentId },
  { name: 'invoice_id', type: 'uuid', value: (a) => a.invoiceId },
  { name: 'amount', type: 'numeric', value: (a) => a.amount },
  { name: 'currency', type: 'text', value: (a) => a.currency },
];

/**
 * Writes the round's payments and their allocations: payments in one statement, the allocations of
 * changed payments replaced (a deleted payment keeps none). Returns every invoice whose allocations
 * changed, to be settled.
 */
export async function writePayments(db: Db, pending: ReadonlyMap<string, Pending<PaymentRow>>): Promise<string[]> {
  await upsertRows(db, 'payment', COLUMNS, withRows(pending.values()), { conflict: 'id', alsoSet: TOUCHED });
  await flagDeleted(db, 'payment', pending);
  const touched = new Set<string>();
  const existing = [...pending].filter(([, p]) => !p.isNew).map(([id]) => id);
  if (existing.length) {
    const { rows } = await db.query<{ invoice_id: string }>(
      `delete from payment_allocation where payment_id = any($1::uuid[]) returning invoice_id`,
      [existing],
    );
    for (const r of rows) touched.add(r.invoice_id);
  }
  const allocations: Allocation[] = [];
  for (const [id, p] of pending) {
    if (!p.row || p.row.deletedAtSource) continue;
    allocations.push({ paymentId: id, ...p.row.allocation });
    touched.add(p.row.allocation.invoiceId);
  }
  await upsertRows(db, 'payment_allocation', ALLOCATION_COLUMNS, allocations);
  return [...touched];
}
