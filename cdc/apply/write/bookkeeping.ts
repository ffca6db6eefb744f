import type { Pending } from '../UnitOfWork';
import type { Db } from '../../../canonical-schema/Db';
import type { Column } from './unnestRows';

/** The shared bookkeeping columns of a canonical row, written from its pending state. */
export function bookkeepingColumns<
  R extends {
    readonly id: string;
    readonly correlationId: string;
    readonly sourceUpdatedAt: string | null;
    readonly mappingVersion: string | null;
    readonly deletedAtSource: boolean;
  },
>(): Column<{ row: R; bump: number }>[] {
  return [
    { name: 'correlation_id', type: 'uuid', value: (p) => p.row.correlationId, onConflict: 'keep' },
    { name: 'source_updated_at', type: 'timestamptz', value: (p) => p.row.sourceUpdatedAt },
    { name: 'mapping_version', type: 'text', value: (p) => p.row.mappingVersion },
    { name: 'deleted_at_source', type: 'boolean', value: (p) => p.row.deletedAtSource },
    // A new row starts at the number of changes the batch made to it; an existing one grows by that.
    { name: 'version', type: 'int', value: (p) => p.bump, onConflict: 'add' },
  ];
}

/** The pending records that carry a full new state, paired with their version bump. */
export function withRows<R>(pending: Iterable<Pending<R>>): Array<{ row: R; bump: number }> {
  const out: Array<{ row: R; bump: number }> = [];
  for (const p of pending) if (p.row) out.push({ row: p.row, bump: p.bump });
  return out;
}

/** Flags existing records deleted at source (the record stays, for the audit trail). */
export async function flagDeleted(
  db: Db,
  table: string,
  pending: ReadonlyMap<string, Pending<unknown>>,
): Promise<void> {
  const flagged = [...pending].filter(([, p]) => !p.row);
  if (!flagged.length) return;
  await db.query(
    `update ${table} t set deleted_at_source = true, canonical_updated_at = now(), version = t.version + f.bump
       from unnest($1::uuid[], $2::int[]) as f(id, bump) where t.id = f.id`,
    [flagged.map(([id]) => id), flagged.map(([, p]) => p.bump)],
  );
}

/** On conflict, a canonical row records when finsync last changed it. */
export const TOUCHED = ['canonical_updated_at = now()'] as const;
