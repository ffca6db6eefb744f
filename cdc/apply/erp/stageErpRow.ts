import { Decimal } from '../../../canonical-schema/money/Decimal';
import type { ErpSideType } from '../../../canonical-schema/model/enums';
import type {
  ErpInvoiceCandidate,
  ErpInvoiceLineCandidate,
  ErpInvoiceTaxCandidate,
  ErpPaymentCandidate,
} from '../../../canonical-schema/model/erpCandidates';
import type { SourceRow } from '../SourceRow';
import type { UnitOfWork } from '../UnitOfWork';
import { ErpSideChanges } from './ErpRows';
import { postingIdOf } from './finsyncReference';

/** Python's decimal arithmetic as Tryton rounds a line's amount: to the currency's cent, half to even. */
const PyDecimal = Decimal.clone({ precision: 28, rounding: Decimal.ROUND_HALF_EVEN });

/** A line's amount as Tryton computes it (`quantity × unit_price`, rounded to the cent); 0 for lines without one. */
export function lineAmount(line: Pick<ErpInvoiceLineCandidate, 'lineType' | 'quantity' | 'unitPrice'>): string {
  if (line.lineType !== 'line' || line.quantity === null || line.unitPrice === null) return '0.00';
  return new PyDecimal(line.quantity).times(line.unitPrice).toDecimalPlaces(2).toFixed(2);
}

/**
 * Stages one of Tryton's rows on the ERP's side, as Tryton holds it (the row's id is its correlation id). Links to
 * canonical records and the derived totals and statuses come after the flush (`reflectErpSide`). Returns what
 * the audit trail notes.
 */
export function stageErpRow(
  uow: UnitOfWork,
  type: ErpSideType,
  row: SourceRow,
  candidate: unknown,
): Record<string, unknown> {
  const id = row.correlationId;
  const own = { id, sourceId: row.sourceId, mappingVersion: row.mappingVersion };
  switch (type) {
    case 'ERP_INVOICE': {
      const c = candidate as ErpInvoiceCandidate;
      const postingId = postingIdOf(c.reference);
      ErpSideChanges.stage(uow.erp.invoices, id, {
        ...own,
        ...c,
        postingId,
        correlationId: row.correlationId,
        sourceUpdatedAt: row.committedAt,
      });
      return { state: c.state, postingId };
    }
    case 'ERP_INVOICE_LINE': {
      const c = candidate as ErpInvoiceLineCandidate;
      const amount = lineAmount(c);
      ErpSideChanges.stage(uow.erp.lines, id, { ...own, ...c, amount });
      return { invoice: c.invoiceSourceId, amount };
    }
    case 'ERP_INVOICE_TAX': {
      const c = candidate as ErpInvoiceTaxCandidate;
      ErpSideChanges.stage(uow.erp.taxes, id, { ...own, ...c });
      return { invoice: c.invoiceSourceId, amount: c.amount };
    }
    case 'ERP_PAYMENT': {
      const c = candidate as ErpPaymentCandidate;
      const postingId = postingIdOf(c.description);
      ErpSideChanges.stage(uow.erp.payments, id, {
        ...own,
        ...c,
        postingId,
        correlationId: row.correlationId,
        sourceUpdatedAt: row.committedAt,
      });
      return { state: c.state, postingId };
    }
  }
}

/** Stages the deletion of one of Tryton's rows: it stays, flagged deleted at the source. */
export function stageErpDelete(uow: UnitOfWork, type: ErpSideType, row: SourceRow): void {
  const maps = { ERP_INVOICE: uow.erp.invoices, ERP_INVOICE_LINE: uow.erp.lines, ERP_INVOICE_TAX: uow.erp.taxes };
  if (type === 'ERP_PAYMENT') ErpSideChanges.stage(uow.erp.payments, row.correlationId, null);
  else
    ErpSideChanges.stage<unknown>(maps[type] as Map<string, { row: unknown; bump: number }>, row.correlationId, null);
}
