/** What the Tryton connector needs to know besides how to reach Tryton (`TrytonClientOptions`). */
export interface TrytonSettings {
  /** finsync legal entity → Tryton `company.company` id. An entity not listed is not kept in this Tryton. */
  readonly companies: Readonly<Record<string, number>>;
  /** Code of the general journal finsync's journals are posted in (created by `ensureTrytonReference`). */
  readonly journalCode: string;
  /** How long looked-up periods, accounts and taxes are reused before Tryton is asked again. */
  readonly lookupTtlMs: number;
}
