/** What a parked change waits for: a canonical object of a type, identified by a key. */
export interface Prerequisite {
  /** 'VENDOR', 'INVOICE', … or 'VENDOR_ACTIVE' (a vendor leaving PENDING). */
  readonly type: string;
  /** `<system>/<table>/<source id>` of the awaited source row, or a canonical id. */
  readonly key: string;
  /** A sentence for the audit trail: why it waits. */
  readonly reason: string;
}

/** The key a change waiting for a source row parks under. */
export const prerequisiteKey = (system: string, table: string, sourceId: string): string =>
  `${system}/${table}/${sourceId}`;
