import { isErpSideType, type AuditStage, type ObjectType } from '../../canonical-schema/model/enums';
import { stageErpRow } from '../apply/erp/stageErpRow';
import { lookupReference } from '../apply/lookups';
import type { Round } from '../apply/Round';
import { stageDelete } from '../apply/stage/stageDelete';
import { stageVendorAttributes } from '../apply/stage/stageVendorAttributes';
import type { SourceRow } from '../apply/SourceRow';
import { comparePositions } from '../envelope/comparePositions';
import { exceptionFingerprint, type ExceptionInput } from '../exceptions/ExceptionInput';
import type { MappingRule } from '../mapping/MappingRule';
import { documentEntity, documentValue, prerequisiteKey, type Prerequisite } from '../parking/Prerequisite';
import type { ValidationRuleSet } from '../validation/validate';
import { buildCandidate } from './buildCandidate';
import type { Outcome } from './Outcome';
import type { PlannedChange, RowPlan } from './planChange';
import { stageCandidate } from './stageCandidate';
import { validateCandidate } from './validateCandidate';

/**
 * Takes one planned change through the pipeline, in memory, into the round's unit of work:
 * skip if not newer than what was applied → resolve references (park when one is missing) → check the
 * canonical schema and the finance rules (exceptions when broken) → stage the canonical record, its source
 * reference, audit trail and outbox event → note what its arrival releases. Returns how the change ended.
 * Throws only for infrastructure faults (the batch is then retried).
 */
export async function decideChange(round: Round, rules: ValidationRuleSet, plan: PlannedChange): Promise<Outcome> {
  const { uow } = round;
  const raise = (e: ExceptionInput) => uow.raise({ ...e, fingerprint: exceptionFingerprint(e) });
  const { event } = plan;
  const { source } = event;
  switch (plan.kind) {
    case 'ignored':
      return 'IGNORED';
    case 'unmappable':
      raise({
        code: 'UNMAPPABLE_EVENT',
        message: `A change from ${source.system} table ${plan.table} arrived, but no mapping rule covers that table; it was not applied.`,
        source: {
          system: source.system,
          table: plan.table,
          sourceId: `${event.topic}@${event.partition}:${event.offset}`,
        },
        sourceEvent: event,
        fingerprint: `UNMAPPABLE_EVENT|${event.topic}|${event.partition}|${event.offset}`,
      });
      return 'POISON';
    case 'truncate':
      raise({
        code: 'SOURCE_TRUNCATED',
        message: `Table ${plan.table} of ${source.system} was truncated at the source; finsync keeps the canonical records and needs a person to confirm what happened.`,
        source: { system: source.system, table: plan.table, sourceId: '*' },
        sourceEvent: event,
        fingerprint: `SOURCE_TRUNCATED|${event.topic}|${event.offset}`,
      });
      return 'REJECTED';
    case 'row':
      return decideRow(round, rules, plan, raise);
  }
}

/** The stages that end a change's journey through the pipeline (and write its audit row). */
const FINAL: ReadonlySet<AuditStage> = new Set(['APPLIED', 'PARKED', 'REJECTED', 'SKIPPED']);

async function decideRow(
  round: Round,
  rules: ValidationRuleSet,
  plan: RowPlan,
  raise: (e: ExceptionInput) => void,
): Promise<Outcome> {
  const { uow } = round;
  const { rule, row, event, image } = plan;
  const objectType = rule.target;
  const sourceRef = { system: row.system, table: row.table, sourceId: row.sourceId };
  // One audit row per change: its final stage, the stages it passed (`detail.stages`) and what each noted.
  const stages: AuditStage[] = [];
  const detail: Record<string, unknown> = {};
  const trail = (stage: AuditStage, noted: Record<string, unknown>, canonicalId?: string) => {
    stages.push(stage);
    Object.assign(detail, noted);
    if (FINAL.has(stage)) {
      uow.trail.push({
        correlationId: row.correlationId,
        stage,
        objectType,
        canonicalId,
        source: sourceRef,
        detail: { stages, ...detail },
      });
    }
  };

  const stored = await lookupReference(round, row.system, row.table, row.sourceId);
  if (stored?.lastPosition && comparePositions(row.position, stored.lastPosition) <= 0) return 'SKIPPED';
  if (plan.releasedBy) trail('RELEASED', { releasedBy: plan.releasedBy });
  trail('RECEIVED', { op: event.op, topic: event.topic, offset: event.offset });

  if (event.op === 'delete') {
    uow.unpark(row);
    if (!stored) {
      trail('SKIPPED', { reason: 'deleted at the source before it became canonical' });
      return 'IGNORED';
    }
    await stageDelete(round, row, stored.canonicalId);
    uow.setReference(row, stored.canonicalId, event.op);
    trail('APPLIED', { deletedAtSource: true }, stored.canonicalId);
    return 'APPLIED';
  }

  /** One exception per problem of this row, then the rejection on its trail; nothing is applied. A parked
   * older change of the row is dropped: this newer one supersedes it, and its exception is the work item. */
  const rejectRow = (
    problems: ReadonlyArray<{ code: string; field: string; message: string }>,
    why: Record<string, unknown>,
  ): Outcome => {
    for (const p of problems) {
      raise({
        code: p.code,
        message: `${describeRow(rule, row)}: ${p.message}.`,
        objectType,
        field: p.field,
        legalEntityId: typeof image.legal_entity === 'string' ? image.legal_entity : null,
        source: sourceRef,
        correlationId: row.correlationId,
        ruleId: rule.id,
        ruleVersion: rule.version,
        sourceEvent: event,
      });
    }
    uow.unpark(row);
    trail('REJECTED', why);
    return 'REJECTED';
  };
  const park = (prerequisite: Prerequisite): Outcome => {
    uow.park(row, event, prerequisite);
    trail('PARKED', { reason: prerequisite.reason });
    return 'PARKED';
  };

  const mapped = plan.mapped!;
  if (!mapped.ok) {
    const problems = mapped.problems.map((p) => ({
      ...p,
      code: p.code === 'UNMAPPED_CODE' ? 'UNMAPPED_CODE' : 'MAPPING_FAILED',
    }));
    return rejectRow(problems, { mapping: mapped.problems });
  }
  trail('TRANSFORMED', { rule: row.mappingVersion });

  // References: every referenced source row must already be canonical, or this change waits for it.
  const resolved: Record<string, unknown> = { ...mapped.value };
  for (const [name, spec] of Object.entries(rule.references)) {
    const refId = mapped.references[name];
    if (refId === null || refId === undefined) continue;
    const target = await lookupReference(round, spec.system, spec.table, refId);
    if (!target) {
      // Not canonical: not arrived yet, or rejected (its exception says why); either way this change waits.
      return park({
        type: spec.objectType,
        key: prerequisiteKey(spec.system, spec.table, refId),
        reason: `${describeRow(rule, row, mapped.value)} waits for ${spec.objectType.toLowerCase().replace('_', ' ')} ${refId} of ${spec.system}, which is not in the canonical model yet (not arrived, or rejected: see its exceptions)`,
        document: documentValue(mapped.value),
        legalEntityId: documentEntity(mapped.value),
      });
    }
    resolved[name] = target.canonicalId;
  }

  if (rule.attachTo) return decideAttachment(round, plan, resolved, { trail, park, rejectRow, raise });

  const built = buildCandidate(objectType, resolved);
  if (!built.ok) {
    return rejectRow(
      built.problems.map((p) => ({ ...p, code: 'INVALID_FIELD' })),
      { fields: built.problems },
    );
  }
  if (isErpSideType(objectType)) {
    // The ERP's side is kept as the ERP holds it; finance rules judge the canonical records, not the ERP's copy.
    const noted = stageErpRow(uow, objectType, row, built.candidate);
    applied(uow, row, event.op, row.correlationId);
    trail('APPLIED', noted, row.correlationId);
    return 'APPLIED';
  }
  const label = describeRow(rule, row, built.candidate);
  const verdict = await validateCandidate(
    round,
    rules,
    objectType,
    built.candidate,
    label,
    stored?.canonicalId ?? null,
    row.system,
  );
  if (verdict.kind === 'wait') {
    const fields = built.candidate as Readonly<Record<string, unknown>>;
    return park({ ...verdict.prerequisite, document: documentValue(fields), legalEntityId: documentEntity(fields) });
  }
  if (verdict.violations.length) {
    for (const v of verdict.violations) {
      raise({
        code: v.code,
        message: v.message,
        severity: v.severity,
        ruleId: v.ruleId,
        ruleVersion: v.ruleVersion,
        objectType,
        field: v.field,
        legalEntityId: verdict.legalEntityId,
        source: sourceRef,
        canonicalId: stored?.canonicalId ?? null,
        correlationId: row.correlationId,
        sourceEvent: event,
      });
    }
    uow.unpark(row);
    trail('REJECTED', { violations: verdict.violations.map((v) => v.code) });
    return 'REJECTED';
  }
  trail('VALIDATED', { ruleSet: rules.version });

  const staged = await stageCandidate(round, row, built.candidate, stored?.canonicalId ?? null, label, rule, event);
  if (staged.kind === 'rejected') {
    uow.unpark(row);
    trail('REJECTED', { code: staged.code });
    return 'REJECTED';
  }
  applied(uow, row, event.op, staged.canonicalId);
  // After resolve(): these are the row's own, from this change.
  for (const w of staged.warnings ?? []) raise(w);
  if (staged.activated) uow.release(`${objectType}_ACTIVE`, staged.canonicalId, row.correlationId);
  trail('APPLIED', staged.detail, staged.canonicalId);
  return 'APPLIED';
}

/** Bookkeeping of a row that applied: its reference, out of parking, its exceptions resolved, what it releases. */
function applied(uow: Round['uow'], row: SourceRow, op: string, canonicalId: string): void {
  uow.setReference(row, canonicalId, op);
  uow.unpark(row);
  uow.resolve(row);
  uow.release(row.objectType, prerequisiteKey(row.system, row.table, row.sourceId), row.correlationId);
}

interface Steps {
  readonly trail: (stage: AuditStage, noted: Record<string, unknown>, canonicalId?: string) => void;
  readonly park: (prerequisite: Prerequisite) => Outcome;
  readonly rejectRow: (
    problems: ReadonlyArray<{ code: string; field: string; message: string }>,
    why: Record<string, unknown>,
  ) => Outcome;
  readonly raise: (e: ExceptionInput) => void;
}

/**
 * A row whose rule attaches it to another source row's record (the ERP's tax identifier of a party): it waits
 * until that row is canonical, then adds its fields to that record — which may show that the record is a
 * vendor another system already knows, and merge the two.
 */
async function decideAttachment(
  round: Round,
  plan: RowPlan,
  mapped: Readonly<Record<string, unknown>>,
  steps: Steps,
): Promise<Outcome> {
  const { rule, row, image, event } = plan;
  const spec = rule.attachTo!;
  const ownerId = image[spec.from];
  if (ownerId === null || ownerId === undefined) {
    return steps.rejectRow(
      [
        {
          code: 'MAPPING_FAILED',
          field: spec.from,
          message: `it names no ${spec.objectType.toLowerCase()} (column ${spec.from} is empty)`,
        },
      ],
      { attachTo: spec.table },
    );
  }
  const owner = await lookupReference(round, spec.system, spec.table, String(ownerId));
  if (!owner) {
    return steps.park({
      type: spec.objectType,
      key: prerequisiteKey(spec.system, spec.table, String(ownerId)),
      reason: `${describeRow(rule, row, mapped)} belongs to ${spec.objectType.toLowerCase()} ${String(ownerId)} of ${spec.system}, which is not in the canonical model yet`,
    });
  }
  const out = await stageVendorAttributes(round, row, owner.canonicalId, mapped);
  switch (out.kind) {
    case 'invalid':
      return steps.rejectRow(
        out.problems.map((p) => ({ ...p, code: 'INVALID_FIELD' })),
        { fields: out.problems },
      );
    case 'missing':
      return steps.rejectRow(
        [{ code: 'APPLY_FAILED', field: spec.from, message: `the record of ${spec.table} ${String(ownerId)} is gone` }],
        {},
      );
    case 'duplicate':
      steps.raise({
        code: 'DUPLICATE_VENDOR',
        message: `${describeRow(rule, row, mapped)} gives its vendor ${out.reason}, which vendor ${out.existingName} of the same system already has; nothing was changed. Merge the two parties in the ERP or correct the identifier.`,
        objectType: 'VENDOR',
        field: 'taxId',
        source: { system: row.system, table: row.table, sourceId: row.sourceId },
        canonicalId: out.existingId,
        correlationId: row.correlationId,
        sourceEvent: event,
      });
      round.uow.unpark(row);
      steps.trail('REJECTED', { code: 'DUPLICATE_VENDOR' });
      return 'REJECTED';
    case 'applied':
      applied(round.uow, row, event.op, out.canonicalId);
      if (out.mergedFrom) {
        round.uow.announce({
          aggregateType: 'VENDOR',
          aggregateId: out.mergedFrom,
          correlationId: row.correlationId,
          eventType: 'VENDOR_MERGED',
          oldStatus: null,
          newStatus: null,
          legalEntityId: null,
          payload: {
            mergedInto: out.canonicalId,
            by: { system: row.system, table: row.table, sourceId: row.sourceId },
          },
        });
      }
      steps.trail('APPLIED', { attachedTo: owner.canonicalId, mergedFrom: out.mergedFrom }, out.canonicalId);
      return 'APPLIED';
  }
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
    JOURNAL_LINE: `Line ${s('lineNumber')} of a journal`,
    ACCOUNT: `Account ${s('code')}`,
    ACCOUNTING_PERIOD: `Period ${s('fiscalYear')}-${s('periodNumber').padStart(2, '0')}`,
    ERP_INVOICE: `ERP invoice ${s('number')}`,
    ERP_INVOICE_LINE: `Line of an ERP invoice`,
    ERP_INVOICE_TAX: `Tax of an ERP invoice`,
    ERP_PAYMENT: `ERP payment`,
  };
  return `${names[rule.target ?? 'INVOICE'].replace(/\s+$/, '')} ${where}`;
}
