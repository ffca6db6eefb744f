import { z } from 'zod';

/**
 * A message of the canonical events topic (written by the CDC outbox relay, `cdc/outbox/runOutboxRelay.ts`),
 * decoded once here; nothing past `decodeCanonicalEvent` reads the raw JSON.
 */
const schema = z.object({
  /** The outbox id: increasing and unique, the deduplication key for redeliveries. */
  id: z.string(),
  aggregateType: z.string(),
  aggregateId: z.string(),
  correlationId: z.string(),
  eventType: z.string(),
  oldStatus: z.string().nullable(),
  newStatus: z.string().nullable(),
  legalEntityId: z.string().nullable(),
  payload: z.unknown(),
  createdAt: z.string(),
});

export type CanonicalEvent = z.infer<typeof schema>;

/** The event in a message value, or null for anything else on the topic (it is skipped, not fatal). */
export function decodeCanonicalEvent(value: Buffer | string | null): CanonicalEvent | null {
  if (value === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(typeof value === 'string' ? value : value.toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
