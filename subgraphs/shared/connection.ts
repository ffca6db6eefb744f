import type { Db } from './Db';
import { encodeCursor } from './cursor';
import { buildListQuery, buildTotalsQuery, type Condition, type ListQueryInput } from './listQuery';
import { money, type Money } from './money';

/** Per currency: how many records and their summed amount. */
export interface CurrencyTotal {
  readonly currency: string;
  readonly count: number;
  readonly sum: Money;
}

/** A Relay connection as the GraphQL types `…Connection` resolve it; totals are computed only when selected. */
export interface Connection<N> {
  readonly edges: ReadonlyArray<{ readonly cursor: string; readonly node: N }>;
  readonly pageInfo: {
    readonly hasNextPage: boolean;
    readonly hasPreviousPage: boolean;
    readonly startCursor: string | null;
    readonly endCursor: string | null;
  };
  readonly totalCount: () => Promise<number>;
  readonly totals: () => Promise<CurrencyTotal[]>;
}

/**
 * Runs one keyset page (one statement) and returns it as a connection whose `totalCount` and `totals` share one
 * aggregate statement, run only if the client selects either.
 */
export async function loadConnection<R extends { id: string; sort_value: string | null }, N>(
  db: Db,
  list: ListQueryInput,
  totals: { readonly amountExpr: string; readonly currencyExpr: string },
  toNode: (row: R) => N,
): Promise<Connection<N>> {
  const query = buildListQuery(list);
  const { rows } = await db.query<R>(query.text, query.values);
  const page = rows.slice(0, list.first);
  const edges = page.map((r) => ({ cursor: encodeCursor(r.sort_value, r.id), node: toNode(r) }));
  let aggregate: Promise<CurrencyTotal[]> | null = null;
  const loadTotals = () => {
    aggregate ??= runTotals(db, list.from, list.where, totals);
    return aggregate;
  };
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > list.first,
      hasPreviousPage: Boolean(list.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: async () => (await loadTotals()).reduce((n, t) => n + t.count, 0),
    totals: loadTotals,
  };
}

async function runTotals(
  db: Db,
  from: string,
  where: ReadonlyArray<Condition | null>,
  totals: { readonly amountExpr: string; readonly currencyExpr: string },
): Promise<CurrencyTotal[]> {
  const q = buildTotalsQuery({ from, where, ...totals });
  const { rows } = await db.query<{ currency: string; count: number; amount: string }>(q.text, q.values);
  return rows.map((r) => ({ currency: r.currency.trim(), count: r.count, sum: money(r.amount, r.currency) }));
}
