/** A canonical change event as written to the outbox; the relay publishes it as a `CanonicalEvent`. */
export interface OutboxEvent {
  readonly aggregateType: string;
  readonly aggregateId: string;
  readonly correlationId: string;
  /** e.g. INVOICE_CHANGED, PAYMENT_CHANGED, JOURNAL_ENTRY_CHANGED, EXCEPTION_RAISED. */
  readonly eventType: string;
  readonly oldStatus: string | null;
  readonly newStatus: string | null;
  readonly legalEntityId: string | null;
  readonly payload: Record<string, unknown>;
}
