import { buildWhere, type Condition } from '../../shared/listQuery';

/** The age buckets of open exceptions, in hours: [min, max). */
export const AGE_BUCKETS: ReadonlyArray<{
  readonly bucket: string;
  readonly min: number;
  readonly max: number | null;
}> = [
  { bucket: 'UNDER_1H', min: 0, max: 1 },
  { bucket: '1H_4H', min: 1, max: 4 },
  { bucket: '4H_24H', min: 4, max: 24 },
  { bucket: '1D_3D', min: 24, max: 72 },
  { bucket: 'OVER_3D', min: 72, max: null },
];

/** Open exceptions of the filter counted per age bucket, one statement. */
export function agingQuery(where: ReadonlyArray<Condition | null>): { text: string; values: unknown[] } {
  const w = buildWhere([...where, { sql: "e.status = 'OPEN'" }]);
  const counts = AGE_BUCKETS.map(
    (b, i) =>
      `count(*) filter (where e.created_at <= now() - interval '${b.min} hours'${
        b.max === null ? '' : ` and e.created_at > now() - interval '${b.max} hours'`
      })::int as b${i}`,
  ).join(', ');
  return { text: `select ${counts} from exception e ${w.text}`, values: w.values };
}

/**
 * Exceptions of the filter raised and closed per hour over the last `hours` hours, every hour present (the series
 * is generated, the counts joined to it): one statement.
 */
export function hourlyQuery(
  where: ReadonlyArray<Condition | null>,
  hours: number,
): { text: string; values: unknown[] } {
  const w = buildWhere(where);
  const n = w.values.length + 1;
  return {
    text: `with hours as (
             select generate_series(date_trunc('hour', now()) - make_interval(hours => $${n}::int - 1),
                                    date_trunc('hour', now()), interval '1 hour') as hour),
           matching as (select e.created_at, e.resolved_at from exception e ${w.text})
           select h.hour,
                  (select count(*) from matching m where m.created_at >= h.hour and m.created_at < h.hour + interval '1 hour')::int as raised,
                  (select count(*) from matching m where m.resolved_at >= h.hour and m.resolved_at < h.hour + interval '1 hour')::int as closed
             from hours h order by h.hour`,
    values: [...w.values, hours],
  };
}
