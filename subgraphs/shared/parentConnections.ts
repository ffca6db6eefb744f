import DataLoader from 'dataloader';
import type { Db } from './Db';
import { encodeCursor } from './cursor';
import type { Connection, CurrencyTotal } from './connection';
import { buildPartitionedListQuery, buildWhere, type Condition, type SortKey } from './listQuery';
import { money } from './money';

/** One parent's list, as a field resolver asks for it. */
export interface ParentListKey {
  readonly parentId: string;
  readonly where: readonly Condition[];
  readonly sort: SortKey;
  readonly direction: 'ASC' | 'DESC';
  readonly first: number;
  readonly after?: string | null;
}

/** The table side of a parent → children list. */
export interface ParentListSpec<R, N> {
  readonly select: string;
  readonly from: string;
  readonly idExpr: string;
  /** The child's column naming its parent (e.g. `i.vendor_id`). */
  readonly parentExpr: string;
  readonly amountExpr: string;
  readonly currencyExpr: string;
  readonly toNode: (row: R) => N;
}

const argsKey = (k: ParentListKey) => JSON.stringify([k.where, k.sort, k.direction, k.first, k.after ?? null]);

/**
 * A DataLoader of connections for many parents with the same arguments: one windowed statement for all their pages,
 * and (only if some parent's totals are selected) one grouped statement for all their totals. So
 * `vendors(first: 50) { … invoices(first: 5) { totalCount … } }` is two statements, not a hundred.
 */
export function parentConnectionLoader<R extends { id: string; sort_value: string | null; parent_id: string }, N>(
  db: Db,
  spec: ParentListSpec<R, N>,
): DataLoader<ParentListKey, Connection<N>, string> {
  return new DataLoader<ParentListKey, Connection<N>, string>(
    async (keys) => {
      const groups = new Map<string, ParentListKey[]>();
      for (const k of keys) groups.set(argsKey(k), [...(groups.get(argsKey(k)) ?? []), k]);
      const out = new Map<string, Connection<N>>();
      for (const group of groups.values()) {
        const first = group[0]!;
        const parentIds = [...new Set(group.map((k) => k.parentId))];
        const q = buildPartitionedListQuery({
          ...first,
          select: spec.select,
          from: spec.from,
          idExpr: spec.idExpr,
          parentExpr: spec.parentExpr,
          parentIds,
        });
        const { rows } = await db.query<R>(q.text, q.values);
        const byParent = new Map<string, R[]>();
        for (const r of rows) byParent.set(r.parent_id, [...(byParent.get(r.parent_id) ?? []), r]);
        let totals: Promise<Map<string, CurrencyTotal[]>> | null = null;
        const loadTotals = () => (totals ??= groupTotals(db, spec, first.where, parentIds));
        for (const k of group) {
          const all = byParent.get(k.parentId) ?? [];
          const page = all.slice(0, k.first);
          const edges = page.map((r) => ({ cursor: encodeCursor(r.sort_value, r.id), node: spec.toNode(r) }));
          out.set(argsKey(k) + k.parentId, {
            edges,
            pageInfo: {
              hasNextPage: all.length > k.first,
              hasPreviousPage: Boolean(k.after),
              startCursor: edges[0]?.cursor ?? null,
              endCursor: edges[edges.length - 1]?.cursor ?? null,
            },
            totalCount: async () => ((await loadTotals()).get(k.parentId) ?? []).reduce((n, t) => n + t.count, 0),
            totals: async () => (await loadTotals()).get(k.parentId) ?? [],
          });
        }
      }
      return keys.map((k) => out.get(argsKey(k) + k.parentId)!);
    },
    { cacheKeyFn: (k) => argsKey(k) + k.parentId },
  );
}

async function groupTotals<R, N>(
  db: Db,
  spec: ParentListSpec<R, N>,
  where: readonly Condition[],
  parentIds: readonly string[],
): Promise<Map<string, CurrencyTotal[]>> {
  const w = buildWhere([...where, { sql: `${spec.parentExpr} = any($?::uuid[])`, value: parentIds }]);
  const { rows } = await db.query<{ parent_id: string; currency: string; count: number; amount: string }>(
    `select (${spec.parentExpr})::text as parent_id, ${spec.currencyExpr} as currency, count(*)::int as count,
            coalesce(sum(${spec.amountExpr}), 0)::text as amount
       from ${spec.from} ${w.text} group by 1, 2 order by 1, 2`,
    w.values,
  );
  const out = new Map<string, CurrencyTotal[]>();
  for (const r of rows) {
    const t = { currency: r.currency.trim(), count: r.count, sum: money(r.amount, r.currency) };
    out.set(r.parent_id, [...(out.get(r.parent_id) ?? []), t]);
  }
  return out;
}
