import { buildWhere, type Condition, type SortKey } from '../../shared/listQuery';

/** What `postingsConnection` and `postingCountsByHour` filter by. */
export interface PostingFilter {
  readonly status?: readonly string[] | null;
  readonly legalEntityId?: readonly string[] | null;
  readonly kind?: readonly string[] | null;
  readonly preparer?: readonly string[] | null;
  readonly createdFrom?: string | null;
  readonly createdTo?: string | null;
}

export const POSTING_SORTS: Readonly<Record<string, SortKey>> = {
  CREATED_AT: { expr: 'p.created_at', type: 'timestamptz' },
  AMOUNT: { expr: 'p.amount', type: 'numeric' },
};

const c = (sql: string, value: unknown): Condition | null =>
  value === null || value === undefined ? null : { sql, value };

/** The filter as SQL conditions over `p` (the posting table). */
export function postingConditions(filter: PostingFilter | null | undefined): Array<Condition | null> {
  const f = filter ?? {};
  return [
    c('p.status = any($?::text[])', f.status),
    c('p.legal_entity_id = any($?::text[])', f.legalEntityId),
    c('p.kind = any($?::text[])', f.kind),
    c('p.preparer = any($?::text[])', f.preparer),
    c('p.created_at >= $?::timestamptz', f.createdFrom),
    c('p.created_at <= $?::timestamptz', f.createdTo),
  ];
}

/** Postings of the filter prepared, posted and failed per hour over the last `hours` hours, every hour present. */
export function postingHourlyQuery(
  where: ReadonlyArray<Condition | null>,
  hours: number,
): { text: string; values: unknown[] } {
  const w = buildWhere(where);
  const n = w.values.length + 1;
  const within = (col: string) => `m.${col} >= h.hour and m.${col} < h.hour + interval '1 hour'`;
  return {
    text: `with hours as (
             select generate_series(date_trunc('hour', now()) - make_interval(hours => $${n}::int - 1),
                                    date_trunc('hour', now()), interval '1 hour') as hour),
           matching as (select p.created_at, p.posted_at, p.updated_at, p.status from posting p ${w.text})
           select h.hour,
                  (select count(*) from matching m where ${within('created_at')})::int as prepared,
                  (select count(*) from matching m where ${within('posted_at')})::int as posted,
                  (select count(*) from matching m where m.status = 'FAILED' and ${within('updated_at')})::int as failed
             from hours h order by h.hour`,
    values: [...w.values, hours],
  };
}
