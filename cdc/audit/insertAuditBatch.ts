import type { Db } from '../../canonical-schema/Db';
import type { AuditEntry } from './AuditEntry';

/** Writes a batch's audit entries in one statement, in order. */
export async function insertAuditBatch(db: Db, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  await db.query(
    `insert into audit_event (correlation_id, stage, object_type, canonical_id, source_system, source_table, source_id, detail)
     select c, s, o, id, sys, tab, sid, d
       from unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::jsonb[])
       with ordinality as t(c, s, o, id, sys, tab, sid, d, n)
      order by n`,
    [
      entries.map((e) => e.correlationId),
      entries.map((e) => e.stage),
      entries.map((e) => e.objectType ?? null),
      entries.map((e) => e.canonicalId ?? null),
      entries.map((e) => e.source?.system ?? null),
      entries.map((e) => e.source?.table ?? null),
      entries.map((e) => e.source?.sourceId ?? null),
      entries.map((e) => JSON.stringify(e.detail ?? {})),
    ],
  );
}
