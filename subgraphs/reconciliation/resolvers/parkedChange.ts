import { iso } from '../../shared/ids';
import { money, type Money } from '../../shared/money';

/** A `parked_event` row as the reconciliation subgraph reads it. */
export interface ParkedRow {
  readonly prerequisite_type: string;
  readonly prerequisite_key: string;
  readonly reason: string;
  readonly source_system: string;
  readonly source_table: string;
  readonly source_id: string;
  readonly parked_at: Date;
  readonly document_amount: string | null;
  readonly document_currency: string | null;
}

/** The GraphQL `ParkedChange` of a row (its `heldBy` resolves through a loader). */
export function parkedChange(p: ParkedRow): {
  prerequisiteType: string;
  prerequisiteKey: string;
  reason: string;
  waitsFor: string;
  sourceSystem: string;
  sourceTable: string;
  sourceId: string;
  parkedAt: string | null;
  since: string | null;
  amount: Money | null;
} {
  return {
    prerequisiteType: p.prerequisite_type,
    prerequisiteKey: p.prerequisite_key,
    reason: p.reason,
    waitsFor: p.reason,
    sourceSystem: p.source_system,
    sourceTable: p.source_table,
    sourceId: p.source_id,
    parkedAt: iso(p.parked_at),
    since: iso(p.parked_at),
    amount: p.document_amount !== null && p.document_currency ? money(p.document_amount, p.document_currency) : null,
  };
}

/** The `<type>|<system>/<table>/<source id>` key a parked change's holding exception is loaded by. */
export const holdingKey = (p: { prerequisiteType: string; prerequisiteKey: string }): string =>
  `${p.prerequisiteType}|${p.prerequisiteKey}`;
