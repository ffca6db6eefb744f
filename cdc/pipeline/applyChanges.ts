import type { AuditEntry } from '../audit/AuditEntry';
import { createBatchLoaders } from '../apply/batchLoaders';
import type { Db } from '../../canonical-schema/Db';
import { flushUnitOfWork } from '../apply/flushUnitOfWork';
import type { ReferenceCache } from '../apply/loadReferenceCache';
import type { Round } from '../apply/Round';
import { UnitOfWork } from '../apply/UnitOfWork';
import type { ExceptionInput } from '../exceptions/ExceptionInput';
import type { MappingRules } from '../mapping/loadMappingRules';
import type { OutboxEvent } from '../outbox/OutboxEvent';
import type { ValidationRuleSet } from '../validation/validate';
import { decideChange } from './decideChange';
import { gatherChange } from './gatherChange';
import type { Outcome } from './Outcome';
import { planChange, type PlannedChange } from './planChange';

/** Released changes may release others in turn; past this many rounds something is circular. */
const MAX_ROUNDS = 9;

export interface ApplyContext {
  readonly mappingRules: MappingRules;
  readonly validationRules: ValidationRuleSet;
  readonly reference: ReferenceCache;
}

export interface Applied {
  /** How each of the given changes ended (changes released from parking on the way are not counted). */
  readonly outcomes: readonly Outcome[];
  readonly trail: readonly AuditEntry[];
  readonly events: readonly OutboxEvent[];
  /** The chart of accounts or the periods changed: reference data must be read again. */
  readonly referenceChanged: boolean;
}

/**
 * Applies planned changes inside the caller's transaction, in rounds. A round looks up what all its
 * changes need at once, decides each change in order in memory, and writes the result with one statement
 * per table; what the round's records released from parking becomes the next round. Exceptions raised
 * outside any change (poison messages) are written with the first round.
 */
export async function applyChanges(
  db: Db,
  ctx: ApplyContext,
  plans: readonly PlannedChange[],
  exceptions: readonly (ExceptionInput & { readonly fingerprint: string })[] = [],
): Promise<Applied> {
  const trail: AuditEntry[] = [];
  const events: OutboxEvent[] = [];
  let outcomes: Outcome[] = [];
  let referenceChanged = false;
  let current = plans;
  for (let n = 0; current.length || (n === 0 && exceptions.length); n++) {
    if (n >= MAX_ROUNDS) {
      throw new Error(`parked changes released each other ${MAX_ROUNDS} rounds deep: circular prerequisites?`);
    }
    const round: Round = { uow: new UnitOfWork(), loaders: createBatchLoaders(db), reference: ctx.reference };
    if (n === 0) for (const e of exceptions) round.uow.raise(e);
    await Promise.all(current.map((p) => gatherChange(round, p)));
    const decided: Outcome[] = [];
    for (const p of current) decided.push(await decideChange(round, ctx.validationRules, p));
    if (n === 0) outcomes = decided;
    const released = await flushUnitOfWork(db, round.uow);
    trail.push(...round.uow.trail);
    events.push(...round.uow.events);
    referenceChanged ||= round.uow.referenceChanged;
    current = released.map((r) => planChange(r.event, ctx.mappingRules, ctx.reference.translations, r.releasedBy));
  }
  return { outcomes, trail, events, referenceChanged };
}

export type { PlannedChange };
