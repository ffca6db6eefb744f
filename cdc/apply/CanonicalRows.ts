/**
 * The canonical rows a batch writes, as plain records keyed like their columns. The pipeline builds them in
 * memory (`UnitOfWork`) and the writers in `write/` send each table's rows in one statement.
 */

/** Columns every canonical object shares (see the first migration). */
interface Bookkeeping {
  readonly id: string;
  readonly correlationId: string;
  readonly sourceUpdatedAt: string | null;
  readonly mappingVersion: string | null;
  readonly deletedAtSource: boolean;
}

export interface VendorRow extends Bookkeeping {
  readonly legalEntityId: string;
  readonly name: string;
  readonly normalizedName: string;
  readonly taxId: string | null;
  readonly iban: string | null;
  readonly email: string | null;
  readonly currency: string | null;
  readonly country: string | null;
  readonly status: string;
  /** Set when this golden record was merged into another (it no longer counts). */
  readonly mergedIntoId: string | null;
}

export interface CustomerRow extends Bookkeeping {
  readonly legalEntityId: string;
  readonly name: string;
  readonly taxId: string | null;
  readonly email: string | null;
  readonly currency: string | null;
  readonly status: string;
}

export interface InvoiceRow extends Bookkeeping {
  readonly legalEntityId: string;
  readonly type: 'ACCOUNTS_PAYABLE' | 'ACCOUNTS_RECEIVABLE';
  readonly isCreditNote: boolean;
  readonly number: string;
  readonly vendorId: string | null;
  readonly customerId: string | null;
  readonly issueDate: string;
  readonly dueDate: string | null;
  readonly fiscalYear: number;
  readonly currency: string;
  readonly subTotal: string;
  readonly totalTaxAmount: string;
  readonly totalAmount: string;
  readonly status: string;
  readonly memo: string | null;
}

export interface InvoiceLineRow {
  readonly id: string;
  readonly invoiceId: string;
  readonly lineNumber: number;
  readonly description: string | null;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly totalAmount: string;
  readonly accountId: string | null;
  readonly taxCodeId: string | null;
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface PaymentRow extends Bookkeeping {
  readonly legalEntityId: string;
  readonly direction: 'OUTBOUND' | 'INBOUND';
  readonly vendorId: string | null;
  readonly customerId: string | null;
  readonly paymentDate: string;
  readonly currency: string;
  readonly totalAmount: string;
  readonly reference: string | null;
  readonly status: string;
  /** The invoice it pays, in full of its amount (one allocation per payment today). */
  readonly allocation: { readonly invoiceId: string; readonly amount: string; readonly currency: string };
}

export interface JournalLineRow {
  readonly lineNumber: number;
  readonly accountId: string | null;
  readonly accountCode: string;
  readonly description: string | null;
  readonly debit: string;
  readonly credit: string;
  readonly currency: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface JournalEntryRow extends Bookkeeping {
  readonly legalEntityId: string;
  readonly journalType: string;
  readonly number: string;
  readonly transactionDate: string;
  readonly accountingPeriodId: string | null;
  readonly memo: string | null;
  readonly postingStatus: string;
  readonly sourceDocumentType: string;
  readonly currency: string;
  /** The lines, when the source sends them with the journal; null when they arrive as rows of their own. */
  readonly lines: readonly JournalLineRow[] | null;
}

/** A journal line that arrives as its own source row (the ERP's move lines). */
export interface JournalLineOwnRow extends JournalLineRow {
  readonly id: string;
  readonly journalEntryId: string;
  /** The line's amount in another currency (a foreign-currency document's move line), signed; else null. */
  readonly secondCurrency: string | null;
  readonly amountSecondCurrency: string | null;
}

export interface AccountRow {
  readonly id: string;
  readonly legalEntityId: string;
  readonly code: string;
  readonly name: string;
  readonly status: string;
  /** Null: an existing account keeps its type (a new one without a type is refused). */
  readonly type: string | null;
  readonly correlationId: string;
  readonly sourceUpdatedAt: string;
  readonly mappingVersion: string;
}

export interface AccountingPeriodRow {
  readonly id: string;
  readonly legalEntityId: string;
  readonly fiscalYear: number;
  readonly periodNumber: number;
  readonly startDate: string;
  readonly endDate: string;
  readonly status: string;
  readonly correlationId: string;
  readonly sourceUpdatedAt: string;
  readonly mappingVersion: string;
}
