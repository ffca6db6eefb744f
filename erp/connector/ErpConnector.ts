/**
 * What finsync needs from an ERP: post a journal or an invoice, find a document by finsync's reference, look up
 * periods, accounts and parties, and report its health. Tryton's JSON-RPC connector (`erp/tryton/`) is the first
 * implementation.
 *
 * Expected outcomes are data: a refusal (the ERP's own message: closed period, unbalanced, missing account) is
 * `{ ok: false, refusal }`. Infrastructure faults (the ERP down, a timeout, a 5xx) throw `ErpUnavailableError`.
 * Amounts are decimal strings; dates `YYYY-MM-DD`.
 */
export interface ErpConnector {
  /** The ERP's name as it appears in source references and the posting (`tryton`). */
  readonly system: string;
  /** A real round trip (login and a read); never throws. */
  health(): Promise<ErpHealth>;
  /**
   * Posts a journal as one ERP document carrying `journal.reference`. When `resume` is a draft document found
   * by that reference (a create that committed before its post did), that document is posted instead of creating
   * another one.
   */
  postJournal(journal: ErpJournal, resume?: ErpDocument | null): Promise<ErpOutcome>;
  /** Posts a supplier (`in`) or customer (`out`) invoice carrying `invoice.reference`; `resume` as above. */
  postInvoice(invoice: ErpInvoice, resume?: ErpDocument | null): Promise<ErpOutcome>;
  /** The document carrying finsync's reference, posted or not, or null. */
  findByReference(kind: ErpDocumentKind, legalEntityId: string, reference: string): Promise<ErpDocument | null>;
  /** The documents carrying these references (one round trip), by reference; absent ones are not in the map. */
  findByReferences(
    kind: ErpDocumentKind,
    legalEntityId: string,
    references: readonly string[],
  ): Promise<ReadonlyMap<string, ErpDocument>>;
  /** The ERP period containing the date, or null when the ERP has none. */
  findPeriod(legalEntityId: string, date: string): Promise<ErpPeriod | null>;
  /** The ERP accounts with these codes (missing codes are absent from the map). */
  findAccounts(legalEntityId: string, codes: readonly string[]): Promise<ReadonlyMap<string, ErpAccount>>;
  /** The ERP party holding this tax identifier, or null. */
  findParty(taxId: string): Promise<ErpParty | null>;
  /**
   * The vendor's party in the ERP, with its tax identifier and bank account: found by the identifier, created only
   * when there is none (and its bank account only when the party has none with this IBAN), so a retry after a
   * crash creates nothing twice. The ERP's refusal (an identifier it finds invalid) is `{ ok: false }`.
   */
  ensureVendorParty(vendor: ErpVendorParty): Promise<ErpVendorPartyOutcome>;
  /** Whether the legal entity is kept in this ERP (has a company there). */
  knowsLegalEntity(legalEntityId: string): boolean;
  /** The currency the ERP keeps the entity's books in. */
  companyCurrency(legalEntityId: string): Promise<string>;
  /**
   * How the ERP converts an amount of `currency` into the entity's company currency on `date`: company amount =
   * amount × `rate` (a decimal string, "1" for the company currency itself), before the ERP's rounding. Null when
   * the ERP cannot (no such currency, or no rate in force on that date).
   */
  exchangeRate(legalEntityId: string, currency: string, date: string): Promise<string | null>;
}

export type ErpDocumentKind = 'JOURNAL' | 'INVOICE';

export interface ErpHealth {
  readonly ok: boolean;
  readonly latencyMs: number;
  /** One line: the company and version when ok, the fault otherwise. */
  readonly detail: string;
}

export interface ErpJournalLine {
  readonly accountCode: string;
  readonly debit: string;
  readonly credit: string;
  readonly description: string | null;
  /** Tax identifier of the line's party, for accounts that require one (receivable, payable). */
  readonly partyTaxId: string | null;
}

export interface ErpJournal {
  /** finsync's reference, carried by the document (`finsync:<posting id>`). */
  readonly reference: string;
  readonly legalEntityId: string;
  readonly date: string;
  readonly currency: string;
  readonly description: string | null;
  readonly lines: readonly ErpJournalLine[];
}

export interface ErpInvoiceLine {
  readonly accountCode: string;
  readonly description: string;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly taxCodes: readonly string[];
}

export interface ErpInvoice {
  readonly reference: string;
  readonly legalEntityId: string;
  /** `in` = supplier invoice (AP), `out` = customer invoice (AR). */
  readonly type: 'in' | 'out';
  readonly party: { readonly name: string; readonly taxId: string };
  /** The receivable or payable account code. */
  readonly accountCode: string;
  readonly invoiceDate: string;
  readonly currency: string;
  readonly description: string | null;
  readonly lines: readonly ErpInvoiceLine[];
  /** The total the ERP must arrive at; a different total is refused before posting. */
  readonly expectedTotal: string;
}

export interface ErpDocument {
  readonly kind: ErpDocumentKind;
  /** The ERP's id of the document (Tryton: `account.move` or `account.invoice` id), as text. */
  readonly id: string;
  /** The ERP's number (Tryton's post number once posted), or null (also right after `postJournal`: Tryton's
   * `post` returns nothing, and the number is read with the next `findByReferences`). */
  readonly number: string | null;
  readonly state: 'DRAFT' | 'POSTED' | 'OTHER';
  readonly reference: string;
  /** The move that holds the document's lines (Tryton: the invoice's move), when there is one. */
  readonly moveId: string | null;
  readonly total: string | null;
}

export interface ErpPeriod {
  readonly id: string;
  readonly name: string;
  readonly state: 'OPEN' | 'CLOSED' | 'LOCKED';
  readonly startDate: string;
  readonly endDate: string;
}

export interface ErpAccount {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  /** Closed accounts (or accounts without a type) refuse new lines. */
  readonly closed: boolean;
  /** The ERP requires a party on every line of this account. */
  readonly partyRequired: boolean;
}

export interface ErpParty {
  readonly id: string;
  readonly name: string;
  readonly active: boolean;
}

/** What vendor onboarding asks the ERP to hold for a vendor. */
export interface ErpVendorParty {
  readonly name: string;
  /** Compact tax identifier (`DE136695976`, `04-2103594`), by which the party is found. */
  readonly taxId: string;
  /** The ERP's kind of identifier (Tryton: `de_vat`, `gb_vat`, `us_ein`, …), so the ERP validates it too. */
  readonly taxIdType: string;
  /** Compact IBAN, or null when the vendor has none. */
  readonly iban: string | null;
  /** The name of the bank the IBAN belongs to, as the ERP keeps banks (`Bank DE 37040044`). */
  readonly bankName: string;
}

export type ErpVendorPartyOutcome =
  | { readonly ok: true; readonly party: ErpParty; readonly created: boolean }
  | { readonly ok: false; readonly refusal: string };

/** The ERP's own refusal of a document, in its own words. */
export interface ErpRefusal {
  /** `ERP_REFUSED` for a Tryton UserError, `ERP_WARNING` for a UserWarning (needs a person's confirmation). */
  readonly code: 'ERP_REFUSED' | 'ERP_WARNING' | 'ERP_TOTAL_MISMATCH' | 'ERP_UNKNOWN_ACCOUNT' | 'ERP_UNKNOWN_TAX';
  /** The ERP's message, verbatim. */
  readonly message: string;
  readonly description: string;
  /** Where in the document, when the connector knows (`lines[2].accountCode`), else null. */
  readonly field: string | null;
}

export type ErpOutcome =
  | { readonly ok: true; readonly document: ErpDocument; readonly created: boolean }
  | { readonly ok: false; readonly refusal: ErpRefusal };
