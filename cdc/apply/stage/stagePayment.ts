import { randomUUID } from 'node:crypto';
import type { PaymentCandidate } from '../../../canonical-schema/model/candidates';
import { currentStatus } from '../lookups';
import type { Round } from '../Round';
import type { SourceRow } from '../SourceRow';
import { UnitOfWork } from '../UnitOfWork';

/**
 * Inserts or updates a payment and its allocation to the invoice it pays, in the round; the invoice is
 * settled after the flush. Returns the payment's id and the status it had before.
 */
export async function stagePayment(
  round: Round,
  row: SourceRow,
  p: PaymentCandidate,
  existingId: string | null,
): Promise<{ canonicalId: string; oldStatus: string | null }> {
  const id = existingId ?? randomUUID();
  const stored = existingId ? await round.loaders.payment.load(existingId) : null;
  const oldStatus = existingId ? currentStatus(round.uow.payments.get(existingId), stored) : null;
  UnitOfWork.touch(
    round.uow.payments,
    id,
    {
      id,
      legalEntityId: p.legalEntityId,
      direction: p.direction,
      vendorId: p.direction === 'OUTBOUND' ? p.counterpartyId : null,
      customerId: p.direction === 'INBOUND' ? p.counterpartyId : null,
      paymentDate: p.paymentDate,
      currency: p.currency,
      totalAmount: p.totalAmount,
      reference: p.reference,
      status: p.status,
      allocation: { invoiceId: p.invoiceId, amount: p.totalAmount, currency: p.currency },
      correlationId: row.correlationId,
      sourceUpdatedAt: row.committedAt,
      mappingVersion: row.mappingVersion,
      deletedAtSource: false,
    },
    stored,
  );
  round.uow.settle.add(p.invoiceId);
  const payers = round.uow.settledBy.get(p.invoiceId) ?? [];
  if (!payers.includes(id)) payers.push(id);
  round.uow.settledBy.set(p.invoiceId, payers);
  return { canonicalId: id, oldStatus };
}
