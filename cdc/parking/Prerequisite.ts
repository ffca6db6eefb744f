/** What a parked change waits for: a canonical object of a type, identified by a key. */
export interface Prerequisite {
  /** 'VENDOR', 'INVOICE', … or 'VENDOR_ACTIVE' (a vendor leaving PENDING). */
  readonly type: string;
  /** `<system>/<table>/<source id>` of the awaited source row, or a canonical id. */
  readonly key: string;
  /** A sentence for the audit trail: why it waits. */
  readonly reason: string;
  /** What the waiting document is worth (an invoice's total), shown with what holds it back. */
  readonly document?: { readonly amount: string; readonly currency: string } | null;
  /** The waiting document's legal entity: who may see that it waits. */
  readonly legalEntityId?: string | null;
}

/** A waiting document's legal entity, from its mapped fields. */
export function documentEntity(fields: Readonly<Record<string, unknown>>): string | null {
  return typeof fields.legalEntityId === 'string' ? fields.legalEntityId : null;
}

/** A waiting document's total and currency, from its mapped fields, when it has both. */
export function documentValue(
  fields: Readonly<Record<string, unknown>>,
): { readonly amount: string; readonly currency: string } | null {
  const amount = fields.totalAmount;
  const currency = fields.currency;
  if ((typeof amount !== 'string' && typeof amount !== 'number') || typeof currency !== 'string') return null;
  return /^-?\d+(\.\d+)?$/.test(String(amount)) && /^[A-Z]{3}$/.test(currency)
    ? { amount: String(amount), currency }
    : null;
}

/** The key a change waiting for a source row parks under. */
export const prerequisiteKey = (system: string, table: string, sourceId: string): string =>
  `${system}/${table}/${sourceId}`;
