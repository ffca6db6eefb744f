import type { Db } from '../../canonical-schema/Db';
import type { OutboxEvent } from './writeOutbox';

/** Writes a batch's outbox events in one statement; ids follow the order given. */
export async function insertOutboxBatch(db: Db, events: readonly OutboxEvent[]): Promise<void> {
  if (!events.length) return;
  await db.query(
    `insert into outbox (aggregate_type, aggregate_id, correlation_id, event_type, old_status, new_status, legal_entity_id, payload)
     select a, id, c, e, o, n, le, p
       from unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[])
       with ordinality as t(a, id, c, e, o, n, le, p, i)
      order by i`,
    [
      events.map((e) => e.aggregateType),
      events.map((e) => e.aggregateId),
      events.map((e) => e.correlationId),
      events.map((e) => e.eventType),
      events.map((e) => e.oldStatus),
      events.map((e) => e.newStatus),
      events.map((e) => e.legalEntityId),
      events.map((e) => JSON.stringify(e.payload)),
    ],
  );
}
