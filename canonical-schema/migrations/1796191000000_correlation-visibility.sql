-- Up Migration
-- A correlation's audit trail is visible with its records: a principal sees it when it may see one of the records,
-- postings or exceptions made under it. `finsync.see_unscoped` only opens correlations that made no record at all
-- (events parked or rejected before mapping): in 1796190000000 it opened every correlation, so a controller of one
-- legal entity read the audit trails of another's invoices.
create or replace function finsync_correlation_visible(c uuid) returns boolean language sql stable as $$
  select exists (select 1 from source_reference r where r.correlation_id = c and (
             (r.object_type = 'INVOICE' and exists (select 1 from invoice x where x.id = r.canonical_id))
          or (r.object_type = 'INVOICE_LINE' and exists (select 1 from invoice_line x where x.id = r.canonical_id))
          or (r.object_type = 'PAYMENT' and exists (select 1 from payment x where x.id = r.canonical_id))
          or (r.object_type = 'VENDOR' and exists (select 1 from vendor x where x.id = r.canonical_id))
          or (r.object_type = 'CUSTOMER' and exists (select 1 from customer x where x.id = r.canonical_id))
          or (r.object_type = 'JOURNAL_ENTRY' and exists (select 1 from journal_entry x where x.id = r.canonical_id))))
      or exists (select 1 from posting p where p.correlation_id = c)
      or exists (select 1 from exception e where e.correlation_id = c)
      -- source_reference is not scoped: "made no record" is true for every principal alike.
      or (coalesce(current_setting('finsync.see_unscoped', true), '') = 'on'
          and not exists (select 1 from source_reference r where r.correlation_id = c))
$$;

-- Down Migration
create or replace function finsync_correlation_visible(c uuid) returns boolean language sql stable as $$
  select coalesce(current_setting('finsync.see_unscoped', true), '') = 'on'
      or exists (select 1 from source_reference r where r.correlation_id = c and (
             (r.object_type = 'INVOICE' and exists (select 1 from invoice x where x.id = r.canonical_id))
          or (r.object_type = 'INVOICE_LINE' and exists (select 1 from invoice_line x where x.id = r.canonical_id))
          or (r.object_type = 'PAYMENT' and exists (select 1 from payment x where x.id = r.canonical_id))
          or (r.object_type = 'VENDOR' and exists (select 1 from vendor x where x.id = r.canonical_id))
          or (r.object_type = 'CUSTOMER' and exists (select 1 from customer x where x.id = r.canonical_id))
          or (r.object_type = 'JOURNAL_ENTRY' and exists (select 1 from journal_entry x where x.id = r.canonical_id))))
      or exists (select 1 from posting p where p.correlation_id = c)
      or exists (select 1 from exception e where e.correlation_id = c)
$$;
