import { stageErpDelete } from '../erp/stageErpRow';
import type { Round } from '../Round';
import type { SourceRow } from '../SourceRow';
import { UnitOfWork, type Pending } from '../UnitOfWork';

/**
 * A row deleted at its source: the canonical record stays (audit trail) but is flagged deleted; an invoice
 * line goes; a payment's allocation goes and its invoice is settled again.
 */
export async function stageDelete(round: Round, row: SourceRow, canonicalId: string): Promise<void> {
  const { uow, loaders } = round;
  switch (row.objectType) {
    case 'INVOICE_LINE':
      uow.invoiceLines.set(canonicalId, 'delete');
      return;
    case 'VENDOR':
      return flag(uow.vendors, canonicalId, await loaders.vendor.load(canonicalId));
    case 'CUSTOMER':
      return flag(uow.customers, canonicalId, await loaders.customer.load(canonicalId));
    case 'INVOICE':
      return flag(uow.invoices, canonicalId, await loaders.invoice.load(canonicalId));
    case 'PAYMENT':
      // The flush removes its allocation and settles the invoice it paid.
      return flag(uow.payments, canonicalId, await loaders.payment.load(canonicalId));
    case 'JOURNAL_ENTRY':
      return flag(uow.journalEntries, canonicalId, await loaders.journalEntry.load(canonicalId));
    case 'JOURNAL_LINE':
      uow.journalLines.set(canonicalId, 'delete');
      return;
    case 'ERP_INVOICE':
    case 'ERP_INVOICE_LINE':
    case 'ERP_INVOICE_TAX':
    case 'ERP_PAYMENT':
      // The ERP's side stays, flagged: reconciliation shows the document gone from the ERP.
      return stageErpDelete(uow, row.objectType, row);
    case 'ACCOUNT':
    case 'ACCOUNTING_PERIOD':
      // The chart and the calendar keep their records; a source that drops one does not unmake history.
      return;
  }
}

function flag<R extends { readonly deletedAtSource: boolean }>(
  map: Map<string, Pending<R>>,
  id: string,
  stored: { readonly status: string } | null,
): void {
  const pending = UnitOfWork.touch(map, id, null, stored);
  if (pending.row) pending.row = { ...pending.row, deletedAtSource: true };
}
