/**
 * The ERP's side as a round stages it (tables erp_invoice, erp_invoice_line, erp_invoice_tax, erp_payment): Tryton's
 * rows as Tryton holds them, keyed by an id derived from the source row (its correlation id), so that a row needs no
 * lookup to be written and an ERP-native document's canonical record can take the same id.
 */

export interface ErpInvoiceRow {
  readonly id: string;
  readonly sourceId: string;
  readonly legalEntityId: string;
  readonly type: 'ACCOUNTS_PAYABLE' | 'ACCOUNTS_RECEIVABLE';
  readonly number: string | null;
  readonly reference: string | null;
  readonly description: string | null;
  readonly state: string;
  /** What the state means in the canonical vocabulary; a posted invoice's is refined by its payments later. */
  readonly status: string;
  readonly currency: string;
  readonly invoiceDate: string | null;
  readonly accountingDate: string | null;
  readonly createdOn: string | null;
  readonly partySourceId: string;
  readonly moveSourceId: string | null;
  /** The posting whose reference (`finsync:<posting id>`) it carries, if it carries one. */
  readonly postingId: string | null;
  readonly correlationId: string;
  readonly sourceUpdatedAt: string;
  readonly mappingVersion: string;
}

export interface ErpInvoiceLineRow {
  readonly id: string;
  readonly sourceId: string;
  readonly invoiceSourceId: string | null;
  readonly lineType: string;
  readonly sequence: number | null;
  readonly description: string | null;
  readonly accountSourceId: string | null;
  readonly quantity: string | null;
  readonly unitPrice: string | null;
  /** quantity × unit price rounded to the cent as Tryton does (half to even); 0 for lines that carry no amount. */
  readonly amount: string;
  readonly currency: string | null;
  readonly mappingVersion: string;
}

export interface ErpInvoiceTaxRow {
  readonly id: string;
  readonly sourceId: string;
  readonly invoiceSourceId: string;
  readonly description: string | null;
  readonly base: string;
  readonly amount: string;
  readonly mappingVersion: string;
}

export interface ErpPaymentRow {
  readonly id: string;
  readonly sourceId: string;
  readonly legalEntityId: string;
  readonly direction: 'OUTBOUND' | 'INBOUND';
  readonly state: string;
  readonly status: string;
  readonly amount: string;
  readonly paymentDate: string;
  readonly description: string | null;
  readonly partySourceId: string;
  readonly lineSourceId: string | null;
  readonly postingId: string | null;
  readonly correlationId: string;
  readonly sourceUpdatedAt: string;
  readonly mappingVersion: string;
}

/** A row of the ERP's side a round changed: its new state, or `null` when Tryton deleted it; `bump` changes. */
export interface ErpChange<R> {
  row: R | null;
  bump: number;
}

/** The ERP's side a round changed, by row id. */
export class ErpSideChanges {
  readonly invoices = new Map<string, ErpChange<ErpInvoiceRow>>();
  readonly lines = new Map<string, ErpChange<ErpInvoiceLineRow>>();
  readonly taxes = new Map<string, ErpChange<ErpInvoiceTaxRow>>();
  readonly payments = new Map<string, ErpChange<ErpPaymentRow>>();

  /** Records one change of a row (several in one round collapse into the last, each counted). */
  static stage<R>(map: Map<string, ErpChange<R>>, id: string, row: R | null): void {
    const change = map.get(id);
    if (change) {
      change.row = row;
      change.bump += 1;
    } else map.set(id, { row, bump: 1 });
  }

  get isEmpty(): boolean {
    return !this.invoices.size && !this.lines.size && !this.taxes.size && !this.payments.size;
  }
}
