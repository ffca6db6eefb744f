import type { ExceptionInput } from '../../exceptions/ExceptionInput';
import type { OutboxEvent } from '../../outbox/OutboxEvent';
import type { Db } from '../../../canonical-schema/Db';
import type { SourceRow } from '../SourceRow';

/** The resolution reason of an exception whose source row was fixed. */
export const CORRECTED_AT_SOURCE = 'Corrected at source: a later change of this record passed every rule';

/** The outbox event of an exception the pipeline closed (exceptionStatusChanged subscribers receive it). */
export function exceptionResolvedEvent(row: ResolvedExceptionRow, reason: string): OutboxEvent {
  return {
    aggregateType: 'EXCEPTION',
    aggregateId: row.id,
    correlationId: row.correlation_id ?? row.id,
    eventType: 'EXCEPTION_RESOLVED',
    oldStatus: 'OPEN',
    newStatus: 'RESOLVED',
    legalEntityId: row.legal_entity_id,
    payload: { code: row.code, reason, actor: 'finsync-cdc' },
  };
}

/** What `returning` gives of an exception the pipeline resolved. */
export interface ResolvedExceptionRow {
  readonly id: string;
  readonly code: string;
  readonly correlation_id: string | null;
  readonly legal_entity_id: string | null;
}

/** The `returning` list of a statement that resolves exceptions. */
export const RESOLVED_RETURNING =
  'returning e.id::text as id, e.code, e.correlation_id::text as correlation_id, e.legal_entity_id';

/**
 * Resolves the open exceptions of rows that now apply cleanly, then opens the round's new exceptions once
 * each (an open exception with the same fingerprint absorbs a redelivery). Returns the outbox events of the
 * exceptions actually resolved and opened. Resolution goes first: a row applied and then broken again in one round
 * gets a fresh exception for the new problem.
 */
export async function writeExceptions(
  db: Db,
  resolved: Iterable<SourceRow>,
  raised: Iterable<ExceptionInput & { readonly fingerprint: string }>,
): Promise<OutboxEvent[]> {
  const rows = [...resolved];
  const events: OutboxEvent[] = [];
  if (rows.length) {
    const { rows: closed } = await db.query<ResolvedExceptionRow>(
      `update exception e set status = 'RESOLVED', resolved_at = now(), resolution_reason = $4
         from unnest($1::text[], $2::text[], $3::text[]) as r(s, t, i)
        where e.source_system = r.s and e.source_table = r.t and e.source_id = r.i and e.status = 'OPEN'
          -- A possible duplicate stays open until a merge or a person settles it: a clean change does not.
          and e.code <> 'POSSIBLE_DUPLICATE_VENDOR'
        ${RESOLVED_RETURNING}`,
      [rows.map((r) => r.system), rows.map((r) => r.table), rows.map((r) => r.sourceId), CORRECTED_AT_SOURCE],
    );
    events.push(...closed.map((r) => exceptionResolvedEvent(r, CORRECTED_AT_SOURCE)));
  }
  const list = [...raised];
  if (!list.length) return events;
  const { rows: created } = await db.query<{ id: string; fingerprint: string }>(
    `insert into exception (code, rule_id, rule_version, severity, message, object_type, field, legal_entity_id,
                            source_system, source_table, source_id, canonical_id, correlation_id, source_event, fingerprint)
     select * from unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::text[], $12::uuid[], $13::uuid[], $14::jsonb[], $15::text[])
     on conflict (fingerprint) where status = 'OPEN' do nothing
     returning id, fingerprint`,
    [
      list.map((e) => e.code),
      list.map((e) => e.ruleId ?? null),
      list.map((e) => e.ruleVersion ?? null),
      list.map((e) => e.severity ?? 'ERROR'),
      list.map((e) => e.message),
      list.map((e) => e.objectType ?? null),
      list.map((e) => e.field ?? null),
      list.map((e) => e.legalEntityId ?? null),
      list.map((e) => e.source?.system ?? null),
      list.map((e) => e.source?.table ?? null),
      list.map((e) => e.source?.sourceId ?? null),
      list.map((e) => e.canonicalId ?? null),
      list.map((e) => e.correlationId ?? null),
      list.map((e) => JSON.stringify(e.sourceEvent ?? null)),
      list.map((e) => e.fingerprint),
    ],
  );
  const byFingerprint = new Map(list.map((e) => [e.fingerprint, e]));
  return events.concat(
    created.map((c) => {
      const e = byFingerprint.get(c.fingerprint)!;
      return {
        aggregateType: 'EXCEPTION',
        aggregateId: c.id,
        correlationId: e.correlationId ?? c.id,
        eventType: 'EXCEPTION_RAISED',
        oldStatus: null,
        newStatus: 'OPEN',
        legalEntityId: e.legalEntityId ?? null,
        payload: { code: e.code, message: e.message, objectType: e.objectType ?? null, source: e.source ?? null },
      };
    }),
  );
}
