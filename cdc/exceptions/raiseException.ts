import type { Db } from '../../canonical-schema/Db';
import { writeOutbox } from '../outbox/writeOutbox';
import { exceptionFingerprint, type ExceptionInput } from './ExceptionInput';

/**
 * Opens an exception in the finance work queue, once: a redelivered or replayed event finds the open
 * exception with the same fingerprint and adds nothing. Announces new exceptions on the outbox.
 */
export async function raiseException(
  db: Db,
  e: ExceptionInput,
): Promise<{ readonly id: string; readonly created: boolean }> {
  const fingerprint = exceptionFingerprint(e);
  const inserted = await db.query<{ id: string }>(
    `insert into exception (code, rule_id, rule_version, severity, message, object_type, field, legal_entity_id,
                            source_system, source_table, source_id, canonical_id, correlation_id, source_event, fingerprint)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     on conflict (fingerprint) where status = 'OPEN' do nothing
     returning id`,
    [
      e.code,
      e.ruleId ?? null,
      e.ruleVersion ?? null,
      e.severity ?? 'ERROR',
      e.message,
      e.objectType ?? null,
      e.field ?? null,
      e.legalEntityId ?? null,
      e.source?.system ?? null,
      e.source?.table ?? null,
      e.source?.sourceId ?? null,
      e.canonicalId ?? null,
      e.correlationId ?? null,
      JSON.stringify(e.sourceEvent ?? null),
      fingerprint,
    ],
  );
  const row = inserted.rows[0];
  if (!row) {
    const existing = await db.query<{ id: string }>(
      `select id from exception where fingerprint = $1 and status = 'OPEN'`,
      [fingerprint],
    );
    return { id: existing.rows[0]?.id ?? '', created: false };
  }
  await writeOutbox(db, {
    aggregateType: 'EXCEPTION',
    aggregateId: row.id,
    correlationId: e.correlationId ?? row.id,
    eventType: 'EXCEPTION_RAISED',
    oldStatus: null,
    newStatus: 'OPEN',
    legalEntityId: e.legalEntityId ?? null,
    payload: { code: e.code, message: e.message, objectType: e.objectType ?? null, source: e.source ?? null },
  });
  return { id: row.id, created: true };
}
