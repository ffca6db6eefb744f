import { parkedChange, type ParkedRow } from './parkedChange';
import { assertUuid, iso } from '../../shared/ids';
import { ACTIONS, AUDIT_EVENTS, PARKED, REFERENCES } from '../sql/auditTrail';
import { EXCEPTIONS_BY_CORRELATION, type ExceptionRow } from '../sql/exceptions';
import type { Ctx } from './Ctx';

interface ReferenceRow {
  readonly system: string;
  readonly source_table: string;
  readonly source_id: string;
  readonly object_type: string;
  readonly canonical_id: string;
  readonly role: string;
  readonly updated_at: Date;
}

const toReference = (r: ReferenceRow) => ({
  system: r.system,
  sourceTable: r.source_table,
  sourceId: r.source_id,
  objectType: r.object_type,
  canonicalId: r.canonical_id,
  updatedAt: iso(r.updated_at),
});

/** The canonical record as an entity reference the gateway completes from the subgraph that owns it. */
export function canonicalRecordRef(objectType: string, canonicalId: string) {
  const ref = { id: canonicalId };
  return {
    objectType,
    canonicalId,
    invoice: objectType === 'INVOICE' ? ref : null,
    payment: objectType === 'PAYMENT' ? ref : null,
    journalEntry: objectType === 'JOURNAL_ENTRY' ? ref : null,
    vendor: objectType === 'VENDOR' ? ref : null,
    customer: objectType === 'CUSTOMER' ? ref : null,
  };
}

/** The pipeline writes the way a change went in `detail.stages`; rows without it are one stage. */
function stagesOf(stage: string, detail: unknown): string[] {
  const stages = (detail as { stages?: unknown } | null)?.stages;
  return Array.isArray(stages) && stages.every((s) => typeof s === 'string') ? stages : [stage];
}

/** `auditTrail(correlationId)`: five statements, whatever the trail's length. */
export const auditResolvers = {
  Query: {
    auditTrail: async (_: unknown, args: { correlationId: string }, ctx: Ctx) => {
      const id = assertUuid(args.correlationId, 'correlationId');
      const [events, refs, parked, exceptions, actions] = await Promise.all([
        ctx.db.query<{
          id: string;
          stage: string;
          object_type: string | null;
          canonical_id: string | null;
          source_system: string | null;
          source_table: string | null;
          source_id: string | null;
          detail: unknown;
          at: Date;
        }>(AUDIT_EVENTS, [id]),
        ctx.db.query<ReferenceRow>(REFERENCES, [id]),
        ctx.db.query<Record<string, unknown>>(PARKED, [id]),
        ctx.db.query<ExceptionRow>(EXCEPTIONS_BY_CORRELATION, [id]),
        ctx.db.query<Record<string, unknown>>(ACTIONS, [id]),
      ]);
      const sources = refs.rows.filter((r) => r.role === 'SOURCE');
      const canonical = new Map<string, string>();
      for (const r of sources) canonical.set(r.canonical_id, r.object_type);
      for (const e of events.rows) if (e.canonical_id && e.object_type) canonical.set(e.canonical_id, e.object_type);
      return {
        correlationId: id,
        events: events.rows.map((e) => ({
          id: e.id,
          stage: e.stage,
          stages: stagesOf(e.stage, e.detail),
          objectType: e.object_type,
          canonicalId: e.canonical_id,
          sourceSystem: e.source_system,
          sourceTable: e.source_table,
          sourceId: e.source_id,
          detail: JSON.stringify(e.detail ?? {}),
          at: iso(e.at),
        })),
        sourceRecords: sources.map(toReference),
        canonicalRecords: [...canonical.entries()].map(([cid, type]) => canonicalRecordRef(type, cid)),
        erpDocuments: refs.rows.filter((r) => r.role === 'TARGET').map(toReference),
        exceptions: exceptions.rows,
        parked: parked.rows.map((p) => parkedChange(p as unknown as ParkedRow)),
        actions: actions.rows,
      };
    },
  },
};
