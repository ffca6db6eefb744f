import type { Db } from '../../canonical-schema/Db';
import type { OutboxEvent } from './OutboxEvent';

export type { OutboxEvent };

/** Writes a canonical change event in the caller's transaction; the relay publishes it to Kafka. */
export async function writeOutbox(db: Db, e: OutboxEvent): Promise<void> {
  await db.query(
    `insert into outbox (aggregate_type, aggregate_id, correlation_id, event_type, old_status, new_status, legal_entity_id, payload)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      e.aggregateType,
      e.aggregateId,
      e.correlationId,
      e.eventType,
      e.oldStatus,
      e.newStatus,
      e.legalEntityId,
      JSON.stringify(e.payload),
    ],
  );
}
