import type { ObjectType } from '../../canonical-schema/model/enums';
import { correlationIdFor } from '../apply/correlationIdFor';
import { completeApplied } from '../apply/completeApplied';
import { findSourceReference, saveSourceReference, type StoredReference } from '../apply/sourceReference';
import type { SourceRow } from '../apply/SourceRow';
import { comparePositions } from '../envelope/comparePositions';
import type { RowChange } from '../envelope/ChangeEvent';
import { raiseException } from '../exceptions/raiseException';
import { ruleKey } from '../mapping/loadMappingRules';
import { mapRow, sourceIdOf } from '../mapping/mapRow';
import type { MappingRule } from '../mapping/MappingRule';
import { parkEvent, prerequisiteKey, unparkRow } from '../parking/parkEvent';
import { buildCandidate } from './buildCandidate';
import { applyCandidate, applyDelete } from './applyCandidate';
import type { Outcome, PipelineContext } from './PipelineContext';
import { validateCandidate } from './validateCandidate';

/** Released parked events may release others in turn; past this depth something is circular. */
const MAX_RELEASE_DEPTH = 8;

/**
 * Takes one decoded row change through the pipeline inside the caller's transaction:
 * route to its mapping rule → skip if not newer than what was applied → map → resolve references (park
 * when one is missing) → check the canonical schema and the finance rules (exceptions when broken) →
 * apply, with source reference, audit trail and outbox event → release what was waiting for it.
 * Returns how the change ended. Throws only for infrastructure faults (the batch is then retried).
 */
export async function processChange(
  ctx: PipelineContext,
  event: RowChange,
  depth = 0,
  releasedBy?: string,
): Promise<Outcome> {
  const { source } = event;
  const table = `${source.schema ?? source.database}.${source.table}`;
  const rule = ctx.mappingRules.get(ruleKey(source.system, table));
  if (!rule) {
    await raiseException(ctx.db, {
      code: 'UNMAPPABLE_EVENT',
      message: `A change from ${source.system} table ${table} arrived, but no mapping rule covers that table; it was not applied.`,
      source: { system: source.system, table, sourceId: `${event.topic}@${event.partition}:${event.offset}` },
      sourceEvent: event,
      fingerprint: `UNMAPPABLE_EVENT|${event.topic}|${event.partition}|${event.offset}`,
    });
    return 'POISON';
  }
  if (rule.target === null) return 'IGNORED';
  if (event.op === 'truncate') {
    await raiseException(ctx.db, {
      code: 'SOURCE_TRUNCATED',
      message: `Table ${table} of ${source.system} was truncated at the source; finsync keeps the canonical records and needs a person to confirm what happened.`,
      source: { system: source.system, table, sourceId: '*' },
      sourceEvent: event,
      fingerprint: `SOURCE_TRUNCATED|${event.topic}|${event.offset}`,
    });
    return 'REJECTED';
  }

  const image = event.op === 'delete' ? event.before : event.after;
  if (!image) return 'IGNORED';
  const sourceId = sourceIdOf(rule, image);
  const row: SourceRow = {
    system: source.system,
    table,
    sourceId,
    correlationId: correlationIdFor(source.system, table, sourceId),
    objectType: rule.target,
    position: source.position,
    committedAt: source.committedAt,
    mappingVersion: `${rule.id}@${rule.version}`,
  };
  const sourceRef = { system: row.system, table: row.table, sourceId };
  const stored = await lookupReference(ctx, row.system, row.table, sourceId);
  if (stored?.lastPosition && comparePositions(source.position, stored.lastPosition) <= 0) return 'SKIPPED';
  if (releasedBy) {
    ctx.trail.push({
      correlationId: row.correlationId,
      stage: 'RELEASED',
      objectType: rule.target,
      source: sourceRef,
      detail: { releasedBy },
    });
  }
  ctx.trail.push({
    correlationId: row.correlationId,
    stage: 'RECEIVED',
    objectType: rule.target,
    source: sourceRef,
    detail: { op: event.op, topic: event.topic, offset: event.offset },
  });

  if (event.op === 'delete') {
    await unparkRow(ctx.db, sourceRef);
    if (stored) {
      await applyDelete(ctx, row, stored.canonicalId);
      await saveSourceReference(ctx.db, row, stored.canonicalId, event.op);
      ctx.sourceRefs?.set(row.system, row.table, sourceId, { ...stored, lastPosition: row.position });
      ctx.trail.push({
        correlationId: row.correlationId,
        stage: 'APPLIED',
        objectType: rule.target,
        canonicalId: stored.canonicalId,
        source: sourceRef,
        detail: { deletedAtSource: true },
      });
    }
    return 'APPLIED';
  }

  const objectType = rule.target;
  /** One exception per problem of this row, then the rejection on its trail; nothing is applied. */
  const rejectRow = async (
    problems: ReadonlyArray<{ code: string; field: string; message: string }>,
    detail: Record<string, unknown>,
  ): Promise<Outcome> => {
    for (const p of problems) {
      await raiseException(ctx.db, {
        code: p.code,
        message: `${describeRow(rule, row)}: ${p.message}.`,
        objectType,
        field: p.field,
        legalEntityId: asString(image.legal_entity),
        source: sourceRef,
        correlationId: row.correlationId,
        ruleId: rule.id,
        ruleVersion: rule.version,
        sourceEvent: event,
      });
    }
    ctx.trail.push({ correlationId: row.correlationId, stage: 'REJECTED', objectType, source: sourceRef, detail });
    return 'REJECTED';
  };

  const mapped = mapRow(rule, image, ctx.reference.translations);
  if (!mapped.ok) {
    const problems = mapped.problems.map((p) => ({
      ...p,
      code: p.code === 'UNMAPPED_CODE' ? 'UNMAPPED_CODE' : 'MAPPING_FAILED',
    }));
    return rejectRow(problems, { mapping: mapped.problems });
  }
  ctx.trail.push({
    correlationId: row.correlationId,
    stage: 'TRANSFORMED',
    objectType: rule.target,
    source: sourceRef,
    detail: { rule: row.mappingVersion },
  });

  // References: every referenced source row must already be canonical, or this change waits for it.
  const resolved: Record<string, unknown> = { ...mapped.value };
  for (const [name, spec] of Object.entries(rule.references)) {
    const refId = mapped.references[name];
    if (refId === null || refId === undefined) continue;
    const target = await lookupReference(ctx, spec.system, spec.table, refId);
    if (!target) {
      // Not canonical: not arrived yet, or rejected (its exception says why); either way this change waits.
      const reason = `${describeRow(rule, row, mapped.value)} waits for ${spec.objectType.toLowerCase().replace('_', ' ')} ${refId} of ${spec.system}, which is not in the canonical model yet (not arrived, or rejected: see its exceptions)`;
      await parkEvent(ctx.db, row, event, {
        type: spec.objectType,
        key: prerequisiteKey(spec.system, spec.table, refId),
        reason,
      });
      ctx.trail.push({
        correlationId: row.correlationId,
        stage: 'PARKED',
        objectType: rule.target,
        source: sourceRef,
        detail: { reason },
      });
      return 'PARKED';
    }
    resolved[name] = target.canonicalId;
  }

  const built = buildCandidate(rule.target, resolved);
  if (!built.ok)
    return rejectRow(
      built.problems.map((p) => ({ ...p, code: 'INVALID_FIELD' })),
      { fields: built.problems },
    );

  const verdict = await validateCandidate(
    ctx,
    rule.target,
    built.candidate,
    describeRow(rule, row, built.candidate),
    stored?.canonicalId ?? null,
  );
  if (verdict.kind === 'wait') {
    await parkEvent(ctx.db, row, event, verdict.prerequisite);
    ctx.trail.push({
      correlationId: row.correlationId,
      stage: 'PARKED',
      objectType: rule.target,
      source: sourceRef,
      detail: { reason: verdict.prerequisite.reason },
    });
    return 'PARKED';
  }
  if (verdict.violations.length) {
    for (const v of verdict.violations) {
      await raiseException(ctx.db, {
        code: v.code,
        message: v.message,
        severity: v.severity,
        ruleId: v.ruleId,
        ruleVersion: v.ruleVersion,
        objectType: rule.target,
        field: v.field,
        legalEntityId: verdict.legalEntityId,
        source: sourceRef,
        canonicalId: stored?.canonicalId ?? null,
        correlationId: row.correlationId,
        sourceEvent: event,
      });
    }
    ctx.trail.push({
      correlationId: row.correlationId,
      stage: 'REJECTED',
      objectType: rule.target,
      source: sourceRef,
      detail: { violations: verdict.violations.map((v) => v.code) },
    });
    return 'REJECTED';
  }
  ctx.trail.push({
    correlationId: row.correlationId,
    stage: 'VALIDATED',
    objectType: rule.target,
    source: sourceRef,
    detail: { ruleSet: ctx.validationRules.version },
  });

  const applied = await applyCandidate(
    ctx,
    row,
    built.candidate,
    stored?.canonicalId ?? null,
    describeRow(rule, row, built.candidate),
  );
  if (applied.kind === 'rejected') {
    ctx.trail.push({
      correlationId: row.correlationId,
      stage: 'REJECTED',
      objectType: rule.target,
      source: sourceRef,
      detail: { code: applied.code },
    });
    return 'REJECTED';
  }
  // One round trip: source reference, this row's parked copy and open exceptions, and whatever waited
  // for this row (or, for a vendor that became active, for its activation).
  ctx.sourceRefs?.set(row.system, row.table, sourceId, {
    canonicalId: applied.canonicalId,
    objectType: rule.target,
    lastPosition: row.position,
  });
  const released = await completeApplied(ctx.db, row, applied.canonicalId, event.op, [
    { type: rule.target, key: prerequisiteKey(row.system, row.table, sourceId) },
    ...(applied.activated ? [{ type: `${rule.target}_ACTIVE`, key: applied.canonicalId }] : []),
  ]);
  ctx.trail.push({
    correlationId: row.correlationId,
    stage: 'APPLIED',
    objectType: rule.target,
    canonicalId: applied.canonicalId,
    source: sourceRef,
    detail: applied.detail,
  });
  if (depth < MAX_RELEASE_DEPTH) {
    for (const parked of released) await processChange(ctx, parked, depth + 1, row.correlationId);
  } else if (released.length) {
    throw new Error(
      `release chain deeper than ${MAX_RELEASE_DEPTH} at ${row.system} ${row.table} ${sourceId}: circular prerequisites?`,
    );
  }
  return 'APPLIED';
}

/** "Invoice PI-1004 (procurement public.supplier_invoice 17)": how messages name a record. */
export function describeRow(rule: MappingRule, row: SourceRow, candidate?: unknown): string {
  const c = (candidate ?? {}) as Readonly<Record<string, unknown>>;
  const s = (key: string): string => (c[key] === null || c[key] === undefined ? '' : String(c[key]));
  const where = `(${row.system} ${row.table} ${row.sourceId})`;
  const names: Record<ObjectType, string> = {
    VENDOR: `Vendor ${s('name')}`,
    CUSTOMER: `Customer ${s('name')}`,
    INVOICE: `${c.isCreditNote ? 'Credit note' : 'Invoice'} ${s('number')}`,
    INVOICE_LINE: `Line ${s('lineNumber')} of an invoice`,
    PAYMENT: `Payment ${s('reference')}`,
    JOURNAL_ENTRY: `Journal ${s('number')}`,
  };
  return `${names[rule.target ?? 'INVOICE'].replace(/\s+$/, '')} ${where}`;
}

/** A source reference, from the batch's prefetched cache when it has the answer. */
async function lookupReference(
  ctx: PipelineContext,
  system: string,
  table: string,
  sourceId: string,
): Promise<StoredReference | null> {
  const cached = ctx.sourceRefs?.get(system, table, sourceId);
  if (cached !== undefined) return cached;
  const found = await findSourceReference(ctx.db, system, table, sourceId);
  ctx.sourceRefs?.set(system, table, sourceId, found);
  return found;
}

function asString(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}
