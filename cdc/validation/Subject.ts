import type {
  InvoiceCandidate,
  InvoiceLineCandidate,
  JournalEntryCandidate,
  JournalEntryLineCandidate,
  PaymentCandidate,
} from '../../canonical-schema/model/candidates';

/** What the validation rules look at: a mapped, reference-resolved canonical object, with a label
 * ("Invoice PI-1004 (procurement supplier_invoice 17)") used in messages. */
export type Subject =
  | {
      readonly type: 'INVOICE';
      readonly label: string;
      readonly canonicalId: string | null;
      readonly candidate: InvoiceCandidate;
    }
  | {
      readonly type: 'INVOICE_LINE';
      readonly label: string;
      readonly legalEntityId: string;
      readonly candidate: InvoiceLineCandidate;
    }
  | { readonly type: 'PAYMENT'; readonly label: string; readonly candidate: PaymentCandidate }
  | { readonly type: 'JOURNAL_ENTRY'; readonly label: string; readonly candidate: JournalEntryCandidate }
  /** A journal line that arrives as its own row (the ERP's move line). */
  | { readonly type: 'JOURNAL_LINE'; readonly label: string; readonly candidate: JournalEntryLineCandidate };
