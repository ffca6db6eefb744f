/** Reference data the checks read: the canonical chart, dimensions, periods, tax codes, currencies. */
export interface ReferenceData {
  account(legalEntityId: string, code: string): AccountRef | undefined;
  dimension(legalEntityId: string, type: string, code: string): { readonly status: string } | undefined;
  /** The accounting period containing `date` (YYYY-MM-DD) for the entity. */
  period(legalEntityId: string, date: string): PeriodRef | undefined;
  taxCode(legalEntityId: string, code: string): { readonly status: string } | undefined;
  currency(code: string): { readonly minorUnits: number } | undefined;
}

export interface AccountRef {
  readonly id: string;
  readonly status: string;
  readonly allowsPosting: boolean;
  readonly requiredDimensions: readonly string[];
}

export interface PeriodRef {
  readonly id: string;
  readonly fiscalYear: number;
  readonly periodNumber: number;
  readonly status: string;
}

/** Everything a check may consult; lookups that need the database are async. */
export interface ValidationContext {
  readonly reference: ReferenceData;
  counterparty(
    type: 'VENDOR' | 'CUSTOMER',
    id: string,
  ): Promise<{ readonly name: string; readonly status: string } | null>;
  /** Another invoice of the same counterparty with this number in this fiscal year, other than `excludeId`. */
  invoiceWithNumber(args: {
    legalEntityId: string;
    counterpartyId: string;
    fiscalYear: number;
    number: string;
    excludeId: string | null;
  }): Promise<{ readonly sourceId: string } | null>;
}
