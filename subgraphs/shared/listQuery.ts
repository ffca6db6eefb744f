import { GraphQLError } from 'graphql';
import { decodeCursor } from './cursor';

/** A filter condition: SQL with `$?` for its one parameter (numbered when the query is built). */
export interface Condition {
  readonly sql: string;
  /** Bound to every `$?` of `sql` (absent when `sql` has none). */
  readonly value?: unknown;
}

/** An allowlisted sort key: an expression that is never null, and the SQL type its cursor value is cast to. */
export interface SortKey {
  readonly expr: string;
  readonly type: 'text' | 'date' | 'numeric' | 'timestamptz';
}

export interface ListQueryInput {
  /** `select` list, including `<alias>.id as id` and the sort expression as `sort_value` is added here. */
  readonly select: string;
  /** `from` clause with joins. */
  readonly from: string;
  /** The row id expression (uuid), the tiebreaker of every sort. */
  readonly idExpr: string;
  readonly where: ReadonlyArray<Condition | null>;
  readonly sort: SortKey;
  readonly direction: 'ASC' | 'DESC';
  readonly first: number;
  readonly after?: string | null;
}

/** Largest page a client may ask for. */
export const MAX_PAGE_SIZE = 500;

/** `first` checked against the limits, as a user error naming the argument. */
export function pageSize(first: number | null | undefined, fallback = 50): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > MAX_PAGE_SIZE) {
    throw new GraphQLError(`first: must be an integer from 0 to ${MAX_PAGE_SIZE}, got ${n}`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName: 'first' },
    });
  }
  return n;
}

/** Numbers the `$?` placeholders of the non-null conditions; returns the `where` text and its values. */
export function buildWhere(
  conditions: ReadonlyArray<Condition | null>,
  values: unknown[] = [],
): { text: string; values: unknown[] } {
  const parts: string[] = [];
  for (const c of conditions) {
    if (!c) continue;
    if (c.sql.includes('$?')) {
      values.push(c.value);
      parts.push(c.sql.replaceAll('$?', `$${values.length}`));
    } else {
      parts.push(c.sql);
    }
  }
  return { text: parts.length ? `where ${parts.join(' and ')}` : '', values };
}

/**
 * One page in keyset order: rows after the cursor's (sort value, id), `first + 1` of them so the caller knows
 * whether a next page exists. Each row carries `sort_value` (text) for its cursor.
 */
export function buildListQuery(input: ListQueryInput): { text: string; values: unknown[] } {
  const conditions: Array<Condition | null> = [...input.where];
  const op = input.direction === 'ASC' ? '>' : '<';
  const where = buildWhere(conditions);
  const values = where.values;
  let keyset = '';
  if (input.after) {
    const { sortValue, id } = decodeCursor(input.after);
    values.push(sortValue, id);
    const cmp = `(${input.sort.expr}, ${input.idExpr}) ${op} ($${values.length - 1}::${input.sort.type}, $${values.length}::uuid)`;
    keyset = where.text ? ` and ${cmp}` : `where ${cmp}`;
  }
  values.push(input.first + 1);
  const text = `select ${input.select}, (${input.sort.expr})::text as sort_value
    from ${input.from} ${where.text}${keyset}
    order by ${input.sort.expr} ${input.direction}, ${input.idExpr} ${input.direction}
    limit $${values.length}`;
  return { text, values };
}

/** Count and sum per currency over the same filter (the connection's totals). */
export function buildTotalsQuery(input: {
  readonly from: string;
  readonly where: ReadonlyArray<Condition | null>;
  readonly amountExpr: string;
  readonly currencyExpr: string;
}): { text: string; values: unknown[] } {
  const where = buildWhere(input.where);
  return {
    text: `select ${input.currencyExpr} as currency, count(*)::int as count, coalesce(sum(${input.amountExpr}), 0)::text as amount
             from ${input.from} ${where.text} group by 1 order by 1`,
    values: where.values,
  };
}

/**
 * The first page of each of many parents' lists in one statement (a vendor's invoices for every vendor of a
 * page): the rows of `parentExpr = any(parents)` numbered per parent in keyset order, `first + 1` kept per parent.
 * Each row carries `sort_value` and `parent_id`.
 */
export function buildPartitionedListQuery(
  input: ListQueryInput & { readonly parentExpr: string; readonly parentIds: readonly string[] },
): { text: string; values: unknown[] } {
  const op = input.direction === 'ASC' ? '>' : '<';
  const where = buildWhere([...input.where, { sql: `${input.parentExpr} = any($?::uuid[])`, value: input.parentIds }]);
  const values = where.values;
  let keyset = '';
  if (input.after) {
    const { sortValue, id } = decodeCursor(input.after);
    values.push(sortValue, id);
    keyset = ` and (${input.sort.expr}, ${input.idExpr}) ${op} ($${values.length - 1}::${input.sort.type}, $${values.length}::uuid)`;
  }
  values.push(input.first + 1);
  const order = `${input.sort.expr} ${input.direction}, ${input.idExpr} ${input.direction}`;
  const text = `select * from (
      select ${input.select}, (${input.sort.expr})::text as sort_value, (${input.parentExpr})::text as parent_id,
             row_number() over (partition by ${input.parentExpr} order by ${order}) as page_row
        from ${input.from} ${where.text}${keyset}) ranked
    where page_row <= $${values.length} order by parent_id, page_row`;
  return { text, values };
}
