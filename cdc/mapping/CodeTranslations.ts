/** A finance-owned code translation (table `code_translation`): a source code → an ERP target. */
export interface CodeTranslation {
  /** e.g. `DIMENSION:DEPARTMENT` or `ACCOUNT`. */
  readonly targetType: string;
  readonly targetCode: string;
  readonly version: number;
}

/** Lookup by domain, then source code. */
export type CodeTranslations = ReadonlyMap<string, ReadonlyMap<string, CodeTranslation>>;
