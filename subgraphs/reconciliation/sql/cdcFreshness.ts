/**
 * Per source system, the newest change the CDC pipeline applied (`source_reference.updated_at`) and the source's
 * commit time of the record it built (`source_updated_at`, the Debezium `ts_ms` of its newest applied change). Only
 * the records a reader may see are considered (row-level security on the canonical tables); a system with none
 * visible has nulls.
 */
export const CDC_FRESHNESS = `
  select s.system, r.updated_at as applied_at, r.committed_at,
         extract(epoch from r.updated_at - r.committed_at)::float8 as lag_seconds,
         extract(epoch from now() - r.updated_at)::float8 as since_seconds
    from unnest(array['erp', 'billing', 'procurement', 'payroll']) as s(system)
    left join lateral (
      select sr.updated_at, coalesce(i.source_updated_at, p.source_updated_at, j.source_updated_at, v.source_updated_at,
                                     c.source_updated_at) as committed_at
        from source_reference sr
        left join invoice i on sr.object_type = 'INVOICE' and i.id = sr.canonical_id
        left join payment p on sr.object_type = 'PAYMENT' and p.id = sr.canonical_id
        left join journal_entry j on sr.object_type = 'JOURNAL_ENTRY' and j.id = sr.canonical_id
        left join vendor v on sr.object_type = 'VENDOR' and v.id = sr.canonical_id
        left join customer c on sr.object_type = 'CUSTOMER' and c.id = sr.canonical_id
       where sr.system = s.system and sr.role = 'SOURCE'
         and sr.object_type in ('INVOICE', 'PAYMENT', 'JOURNAL_ENTRY', 'VENDOR', 'CUSTOMER')
         and coalesce(i.id, p.id, j.id, v.id, c.id) is not null
       order by sr.updated_at desc
       limit 1) r on true
   order by s.system`;

export interface FreshnessRow {
  readonly system: string;
  readonly applied_at: Date | null;
  readonly committed_at: Date | null;
  readonly lag_seconds: number | null;
  readonly since_seconds: number | null;
}
