/** What an invoice posting sends to the ERP: the canonical invoice as it was when accepted. */
export interface InvoicePostingBody {
  readonly canonicalInvoiceId: string;
  readonly legalEntityId: string;
  readonly type: 'ACCOUNTS_PAYABLE' | 'ACCOUNTS_RECEIVABLE';
  readonly number: string;
  readonly issueDate: string;
  readonly currency: string;
  readonly subTotal: string;
  readonly totalTaxAmount: string;
  readonly totalAmount: string;
  readonly memo: string | null;
  readonly controlAccountCode: string;
  readonly counterparty: {
    readonly type: 'VENDOR' | 'CUSTOMER';
    readonly id: string;
    readonly name: string;
    readonly status: string;
    readonly taxId: string | null;
  };
  readonly lines: ReadonlyArray<{
    readonly lineNumber: number;
    readonly description: string | null;
    readonly quantity: string;
    readonly unitPrice: string;
    readonly totalAmount: string;
    readonly accountCode: string | null;
    readonly taxCode: string | null;
    readonly dimensions: Readonly<Record<string, string>>;
  }>;
}
