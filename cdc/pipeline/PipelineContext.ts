import type { Db } from '../apply/Db';
import type { AuditEntry } from '../audit/AuditEntry';
import type { OutboxEvent } from '../outbox/writeOutbox';
import type { ReferenceCache } from '../apply/loadReferenceCache';
import type { SourceReferenceCache } from '../apply/SourceReferenceCache';
import type { MappingRules } from '../mapping/loadMappingRules';
import type { ValidationRuleSet } from '../validation/validate';

/** What processing one change needs: the batch transaction, the rules, the reference data. */
export interface PipelineContext {
  readonly db: Db;
  readonly mappingRules: MappingRules;
  readonly validationRules: ValidationRuleSet;
  readonly reference: ReferenceCache;
  /** Source references prefetched for the batch; null when the batch runs event by event. */
  readonly sourceRefs: SourceReferenceCache | null;
  /** Audit entries of the current event, written with the batch (discarded if the event is undone). */
  readonly trail: AuditEntry[];
  /** Outbox events of the current event, written with the batch (discarded if the event is undone). */
  readonly events: OutboxEvent[];
}

/** How one change ended. Every change ends in exactly one of these (nothing lost). */
export type Outcome = 'APPLIED' | 'PARKED' | 'REJECTED' | 'SKIPPED' | 'IGNORED' | 'POISON';
