import type DataLoader from 'dataloader';
import { groupLoader, rowLoader } from '../../shared/batchLoaders';
import type { Db } from '../../shared/Db';
import { sourceReferenceLoader, type SourceReferenceRow } from '../../shared/sourceReferences';
import { ERP_PAYMENTS_BY_CANONICAL_IDS, type ErpPaymentRow } from '../sql/erpPayments';
import {
  ALLOCATIONS_BY_PAYMENT_IDS,
  PAYMENTS_BY_IDS,
  PAYMENTS_BY_INVOICE_IDS,
  type AllocationRow,
  type PaymentRow,
} from '../sql/payments';

/** The payments subgraph's per-request loaders. */
export interface PaymentLoaders {
  readonly payment: DataLoader<string, PaymentRow | null>;
  readonly paymentsByInvoice: DataLoader<string, Array<PaymentRow & { invoice_id: string }>>;
  readonly allocations: DataLoader<string, AllocationRow[]>;
  readonly sourceReferences: DataLoader<string, SourceReferenceRow[]>;
  /** The ERP's side of a payment, by canonical id. */
  readonly erpPayment: DataLoader<string, ErpPaymentRow | null>;
}

/** Creates the loaders for one request over its counting `Db`. */
export function createLoaders(db: Db): PaymentLoaders {
  return {
    payment: rowLoader<PaymentRow>(db, PAYMENTS_BY_IDS, (r) => r.id),
    paymentsByInvoice: groupLoader<PaymentRow & { invoice_id: string }>(
      db,
      PAYMENTS_BY_INVOICE_IDS,
      (r) => r.invoice_id,
    ),
    allocations: groupLoader<AllocationRow>(db, ALLOCATIONS_BY_PAYMENT_IDS, (r) => r.payment_id),
    sourceReferences: sourceReferenceLoader(db),
    erpPayment: rowLoader<ErpPaymentRow>(db, ERP_PAYMENTS_BY_CANONICAL_IDS, (r) => r.canonical_id),
  };
}
