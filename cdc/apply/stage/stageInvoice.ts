import { randomUUID } from 'node:crypto';
import type { InvoiceCandidate, InvoiceLineCandidate } from '../../../canonical-schema/model/candidates';
import { currentStatus } from '../lookups';
import type { Round } from '../Round';
import type { SourceRow } from '../SourceRow';
import { UnitOfWork } from '../UnitOfWork';

/**
 * Inserts or updates an invoice header in the round; returns its id and the status it had before. A
 * changed invoice is settled again after the flush (its payments may now cover it differently); a new one
 * has no payments yet (a payment waits, parked, for its invoice and settles it itself).
 */
export async function stageInvoice(
  round: Round,
  row: SourceRow,
  inv: InvoiceCandidate,
  existingId: string | null,
): Promise<{ canonicalId: string; oldStatus: string | null }> {
  const fiscalYear =
    round.reference.period(inv.legalEntityId, inv.issueDate)?.fiscalYear ?? Number(inv.issueDate.slice(0, 4));
  const id = existingId ?? randomUUID();
  const stored = existingId ? await round.loaders.invoice.load(existingId) : null;
  const oldStatus = existingId ? currentStatus(round.uow.invoices.get(existingId), stored) : null;
  UnitOfWork.touch(
    round.uow.invoices,
    id,
    {
      id,
      legalEntityId: inv.legalEntityId,
      type: inv.type,
      isCreditNote: inv.isCreditNote,
      number: inv.number,
      vendorId: inv.type === 'ACCOUNTS_PAYABLE' ? inv.counterpartyId : null,
      customerId: inv.type === 'ACCOUNTS_RECEIVABLE' ? inv.counterpartyId : null,
      issueDate: inv.issueDate,
      dueDate: inv.dueDate,
      fiscalYear,
      currency: inv.currency,
      subTotal: inv.subTotal,
      totalTaxAmount: inv.totalTaxAmount,
      totalAmount: inv.totalAmount,
      status: inv.status,
      memo: inv.memo,
      correlationId: row.correlationId,
      sourceUpdatedAt: row.committedAt,
      mappingVersion: row.mappingVersion,
      deletedAtSource: false,
    },
    stored,
  );
  if (existingId) round.uow.settle.add(id);
  return { canonicalId: id, oldStatus };
}

/** Inserts or updates one invoice line in the round, linking its account and tax code. */
export function stageInvoiceLine(
  round: Round,
  line: InvoiceLineCandidate,
  legalEntityId: string,
  existingId: string | null,
): { canonicalId: string } {
  const id = existingId ?? randomUUID();
  round.uow.invoiceLines.set(id, {
    id,
    invoiceId: line.invoiceId,
    lineNumber: line.lineNumber,
    description: line.description,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    totalAmount: line.totalAmount,
    accountId: line.accountCode ? (round.reference.account(legalEntityId, line.accountCode)?.id ?? null) : null,
    taxCodeId: line.taxCode ? (round.reference.taxCode(legalEntityId, line.taxCode)?.id ?? null) : null,
    dimensions: line.dimensions,
  });
  return { canonicalId: id };
}
