import { Decimal } from '../../canonical-schema/money/Decimal';
import type { ZodType } from 'zod';
import {
  AccountCandidate,
  AccountingPeriodCandidate,
  CustomerCandidate,
  InvoiceCandidate,
  InvoiceLineCandidate,
  JournalEntryCandidate,
  JournalEntryLineCandidate,
  PaymentCandidate,
  VendorCandidate,
} from '../../canonical-schema/model/candidates';
import type { ObjectType } from '../../canonical-schema/model/enums';
import {
  ErpInvoiceCandidate,
  ErpInvoiceLineCandidate,
  ErpInvoiceTaxCandidate,
  ErpPaymentCandidate,
} from '../../canonical-schema/model/erpCandidates';

const SCHEMAS: Readonly<Record<ObjectType, ZodType>> = {
  VENDOR: VendorCandidate,
  CUSTOMER: CustomerCandidate,
  INVOICE: InvoiceCandidate,
  INVOICE_LINE: InvoiceLineCandidate,
  PAYMENT: PaymentCandidate,
  JOURNAL_ENTRY: JournalEntryCandidate,
  JOURNAL_LINE: JournalEntryLineCandidate,
  ACCOUNT: AccountCandidate,
  ACCOUNTING_PERIOD: AccountingPeriodCandidate,
  ERP_INVOICE: ErpInvoiceCandidate,
  ERP_INVOICE_LINE: ErpInvoiceLineCandidate,
  ERP_INVOICE_TAX: ErpInvoiceTaxCandidate,
  ERP_PAYMENT: ErpPaymentCandidate,
};

export type CandidateResult =
  | { readonly ok: true; readonly candidate: unknown }
  | { readonly ok: false; readonly problems: ReadonlyArray<{ field: string; message: string }> };

/**
 * Completes the mapped fields (totals a source leaves implicit, decimals as strings) and checks the result
 * against the canonical object's schema; each problem names the field and the rule it breaks.
 */
export function buildCandidate(type: ObjectType, mapped: Record<string, unknown>): CandidateResult {
  const value: Record<string, unknown> = { ...mapped };
  if (type === 'INVOICE') {
    const tax = value.totalTaxAmount ?? '0';
    value.totalTaxAmount = String(tax);
    if (value.subTotal == null && value.totalAmount != null)
      value.subTotal = new Decimal(String(value.totalAmount)).minus(String(tax)).toFixed();
    if (value.totalAmount == null && value.subTotal != null)
      value.totalAmount = new Decimal(String(value.subTotal)).plus(String(tax)).toFixed();
  }
  for (const key of ['subTotal', 'totalAmount', 'quantity', 'unitPrice']) {
    if (typeof value[key] === 'number') value[key] = String(value[key]);
  }
  const parsed = SCHEMAS[type].safeParse(value);
  if (parsed.success) return { ok: true, candidate: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => ({
      field: i.path.join('.'),
      message: `${i.path.join('.')} ${i.message}`,
    })),
  };
}
