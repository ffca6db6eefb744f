/** What a Tryton document of the ERP's side is to finsync, decided from what the canonical store holds. */
export type ErpLink =
  /** The ERP's copy of a canonical record finsync posted: its posting's invoice or payment. */
  | { readonly kind: 'TARGET'; readonly canonicalId: string; readonly correlationId: string }
  /** Entered in the ERP directly: a canonical record of its own (same id as its row on the ERP's side). */
  | { readonly kind: 'SOURCE'; readonly canonicalId: string; readonly counterpartyId: string }
  /**
   * Neither: it carries a posting this store does not hold (another finsync posted it — the tests' scratch
   * databases share one Tryton), or its party is no counterparty finsync knows in the document's legal entity.
   * It stays on the ERP's side, where reconciliation shows it.
   */
  | { readonly kind: 'ERP_ONLY'; readonly why: 'FOREIGN_POSTING' | 'UNKNOWN_COUNTERPARTY' };

/** The facts the decision reads, one document. */
export interface ErpLinkFacts {
  /** The posting id its reference carries, if any. */
  readonly postingId: string | null;
  /** The canonical record of that posting's source document, when this store holds the posting and the record. */
  readonly posted: { readonly canonicalId: string; readonly correlationId: string } | null;
  /** The canonical vendor or customer its party is, in the document's legal entity. */
  readonly counterpartyId: string | null;
  /** Its own id on the ERP's side. */
  readonly id: string;
}

/**
 * Links one ERP document: a posted document to what was posted, a document entered in the ERP to a record of its
 * own when its counterparty is known. Pure.
 */
export function linkOfErpDocument(f: ErpLinkFacts): ErpLink {
  if (f.postingId !== null) {
    return f.posted
      ? { kind: 'TARGET', canonicalId: f.posted.canonicalId, correlationId: f.posted.correlationId }
      : { kind: 'ERP_ONLY', why: 'FOREIGN_POSTING' };
  }
  return f.counterpartyId
    ? { kind: 'SOURCE', canonicalId: f.id, counterpartyId: f.counterpartyId }
    : { kind: 'ERP_ONLY', why: 'UNKNOWN_COUNTERPARTY' };
}
