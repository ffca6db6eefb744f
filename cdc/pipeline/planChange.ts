import type { ObjectType } from '../../canonical-schema/model/enums';
import { correlationIdFor } from '../apply/correlationIdFor';
import type { SourceRow } from '../apply/SourceRow';
import type { RowChange, RowImage } from '../envelope/ChangeEvent';
import type { CodeTranslations } from '../mapping/CodeTranslations';
import { ruleKey, type MappingRules } from '../mapping/loadMappingRules';
import { ignoredBecause, mapRow, sourceIdOf, type MapResult } from '../mapping/mapRow';
import type { MappingRule } from '../mapping/MappingRule';

/** A change routed to its mapping rule and mapped: everything the pipeline can know without the database. */
export type PlannedChange =
  | { readonly kind: 'unmappable'; readonly event: RowChange; readonly table: string }
  | { readonly kind: 'ignored'; readonly event: RowChange; readonly because?: string }
  | { readonly kind: 'truncate'; readonly event: RowChange; readonly table: string }
  | RowPlan;

/** A change of one source row that a mapping rule turns into a canonical object. */
export interface RowPlan {
  readonly kind: 'row';
  readonly event: RowChange;
  readonly rule: MappingRule & { readonly target: ObjectType };
  readonly row: SourceRow;
  /** The row image the change is about: `after`, or `before` for a delete. */
  readonly image: RowImage;
  /** The mapped fields (references not yet resolved); null for a delete, which needs none. */
  readonly mapped: MapResult | null;
  /** The correlation id of the record whose arrival released this change from parking, if it was parked. */
  readonly releasedBy: string | null;
}

/**
 * Routes a decoded change to its mapping rule and maps it. Pure, so it runs for a whole batch while the
 * previous batch is still in the database.
 */
export function planChange(
  event: RowChange,
  rules: MappingRules,
  translations: CodeTranslations,
  releasedBy: string | null = null,
): PlannedChange {
  const { source } = event;
  const table = `${source.schema ?? source.database}.${source.table}`;
  const rule = rules.get(ruleKey(source.system, table));
  if (!rule) return { kind: 'unmappable', event, table };
  if (rule.target === null) return { kind: 'ignored', event };
  if (event.op === 'truncate') return { kind: 'truncate', event, table };
  const image = event.op === 'delete' ? event.before : event.after;
  if (!image) return { kind: 'ignored', event };
  const because = ignoredBecause(rule, image, translations);
  if (because) return { kind: 'ignored', event, because };
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
  return {
    kind: 'row',
    event,
    rule: rule as MappingRule & { readonly target: ObjectType },
    row,
    image,
    mapped: event.op === 'delete' ? null : mapRow(rule, image, translations),
    releasedBy,
  };
}
