/**
 * The rows the generator writes into the stand-in sources, one interface per source table (field names follow
 * the columns). Money, quantities and rates are decimal strings; dates are `YYYY-MM-DD`.
 */

/** The exceptions finsync is expected to raise for a planted anomaly (cdc/validation/rules.json codes). */
export type ExpectedException =
  | 'DUPLICATE_VENDOR'
  | 'UNKNOWN_DIMENSION'
  | 'UNBALANCED_JOURNAL'
  | 'PERIOD_CLOSED'
  | 'DUPLICATE_INVOICE'
  | 'INACTIVE_COUNTERPARTY'
  | 'POISON_MESSAGE'
  | 'INVALID_IBAN';

/** Anomaly kinds: one per expected exception, plus a payment written before its invoice (parked, then applied). */
export type AnomalyKind = ExpectedException | 'PARKED_THEN_APPLIED';

/** Marks a row planted for an anomaly. `excluded` rows are expected to raise an exception instead of being
 * applied, so they stay out of the manifest's control totals. */
export interface Planted {
  readonly anomaly?: AnomalyKind;
  readonly excluded?: boolean;
}

export interface Supplier extends Planted {
  readonly supplier_code: string;
  readonly legal_name: string;
  readonly tax_id: string;
  readonly iban: string | null;
  /** ISO 3166 alpha-2: the tax id and IBAN are valid for it. */
  readonly country: string;
  readonly email: string;
  readonly onboarding_status: 'DRAFT' | 'PENDING_REVIEW' | 'APPROVED' | 'SUSPENDED';
  readonly currency: string;
  readonly legal_entity: string;
}

export interface PurchaseOrder extends Planted {
  readonly po_number: string;
  readonly supplier_code: string;
  readonly legal_entity: string;
  readonly order_date: string;
  readonly currency: string;
  readonly total_amount: string;
  readonly status: 'OPEN' | 'RECEIVED' | 'CLOSED' | 'CANCELLED';
}

export interface SupplierInvoiceLine {
  readonly line_no: number;
  readonly description: string;
  readonly account_code: string;
  readonly cost_center: string | null;
  readonly tax_code: string;
  readonly quantity: string;
  readonly unit_price: string;
  readonly amount: string;
}

/** amount = sum(lines.amount) + tax_amount. */
export interface SupplierInvoice extends Planted {
  readonly supplier_ref: string;
  readonly number: string;
  readonly amount: string;
  readonly currency: string;
  readonly invoice_date: string;
  /** ISO timestamp (UTC), or null while the invoice is only RECEIVED. */
  readonly approved_at: string | null;
  readonly legal_entity: string;
  readonly po_number: string | null;
  readonly tax_amount: string;
  readonly due_date: string;
  readonly status: 'RECEIVED' | 'APPROVED' | 'REJECTED' | 'PAID';
  readonly lines: readonly SupplierInvoiceLine[];
}

/** One line of the payroll provider's summarized journal, as stored in payroll_journal.lines. */
export interface PayrollLine {
  readonly line_no: number;
  readonly gl_account: string;
  readonly cost_center: string | null;
  readonly description: string;
  readonly debit: string;
  readonly credit: string;
}

export interface PayrollJournal extends Planted {
  readonly run_code: string;
  readonly legal_entity: string;
  readonly period_start: string;
  readonly period_end: string;
  readonly pay_date: string;
  readonly currency: string;
  readonly status: 'DRAFT' | 'APPROVED' | 'RELEASED';
  readonly lines: readonly PayrollLine[];
}

export interface Customer extends Planted {
  readonly customer_code: string;
  readonly name: string;
  readonly tax_id: string;
  readonly email: string;
  readonly currency: string;
  readonly legal_entity: string;
  readonly status: 'active' | 'churned';
}

export interface BillingInvoiceLine {
  readonly line_no: number;
  readonly product_code: string;
  readonly description: string;
  readonly quantity: string;
  readonly unit_price: string;
  readonly amount: string;
  readonly tax_code: string;
}

export interface Payment {
  readonly reference: string;
  readonly customer_code: string;
  readonly amount: string;
  readonly currency: string;
  readonly paid_at: string;
  readonly method: string;
  readonly status: 'pending' | 'settled' | 'failed';
  readonly legal_entity: string;
}

export interface CreditMemo {
  readonly number: string;
  readonly customer_code: string;
  readonly invoice_number: string;
  readonly total: string;
  readonly currency: string;
  readonly issue_date: string;
  readonly legal_entity: string;
  readonly reason: string;
}

/** An invoice with everything that hangs off it: written together, in one transaction (except paymentFirst). */
export interface BillingInvoice extends Planted {
  readonly number: string;
  readonly customer_code: string;
  /** subtotal + tax_total. */
  readonly total: string;
  /** sum(lines.amount). */
  readonly subtotal: string;
  readonly tax_total: string;
  readonly currency: string;
  readonly issue_date: string;
  readonly due_date: string;
  readonly legal_entity: string;
  readonly status: 'draft' | 'issued' | 'paid' | 'void';
  readonly lines: readonly BillingInvoiceLine[];
  readonly payments: readonly Payment[];
  readonly credit_memos: readonly CreditMemo[];
  /** The payment row is committed about 2 s before the invoice row, which then takes the id it references. */
  readonly paymentFirst?: boolean;
}

/** Where a planted anomaly lives, by natural key; ids are resolved after the write. */
export interface PlannedAnomaly {
  readonly kind: AnomalyKind;
  readonly expectedException: ExpectedException | null;
  /**
   * Who raises the expected exception: the CDC pipeline (default), or a flow that runs after it — INVALID_IBAN is
   * vendor onboarding's (flows/vendorOnboarding), so a test of the pipeline alone does not expect it.
   */
  readonly raisedBy?: 'VENDOR_ONBOARDING';
  readonly description: string;
  readonly system: 'procurement' | 'payroll' | 'billing';
  readonly table: string;
  /** The row(s) that carry the anomaly; for POISON_MESSAGE none (it is a Kafka message, not a row). */
  readonly records: readonly RecordRef[];
  /** Rows the anomaly refers to (the original vendor or invoice, the invoice a payment pays). */
  readonly related: readonly RecordRef[];
  /** Whether the anomaly's records count in the control totals (true only for PARKED_THEN_APPLIED). */
  readonly includedInControls: boolean;
}

export interface RecordRef {
  readonly table: string;
  /** Natural key columns → values (what the writer looks the row up by). */
  readonly key: Readonly<Record<string, string>>;
  readonly role: string;
}

export interface Dataset {
  readonly seed: number;
  readonly prefix: string;
  readonly size: number;
  readonly procurement: {
    readonly suppliers: readonly Supplier[];
    readonly purchaseOrders: readonly PurchaseOrder[];
    readonly supplierInvoices: readonly SupplierInvoice[];
  };
  readonly payroll: { readonly journals: readonly PayrollJournal[] };
  readonly billing: { readonly customers: readonly Customer[]; readonly invoices: readonly BillingInvoice[] };
  readonly anomalies: readonly PlannedAnomaly[];
  /** The malformed message for POISON_MESSAGE, if planted. */
  readonly poison: { readonly topic: string; readonly key: string; readonly value: string } | null;
}

/** The natural key a supplier invoice is found by: (supplier_ref, number) is not unique on purpose. */
export const supplierInvoiceKey = (i: Pick<SupplierInvoice, 'supplier_ref' | 'number' | 'invoice_date'>): string =>
  `${i.supplier_ref}|${i.number}|${i.invoice_date}`;
