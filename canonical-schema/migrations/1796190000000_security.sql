-- Up Migration
-- Security (issue 6). The subgraphs read the canonical store as the role finsync_api, with the principal's legal
-- entities in the session settings `finsync.legal_entities` (comma-separated) and `finsync.see_unscoped` ('on' for
-- roles that may read records of no legal entity). Row-level security then scopes every query — lists, lookups,
-- nested fields, totals and counts — to those entities, whatever the SQL. The pipeline, the posting worker and
-- migrations connect as the database owner, which row-level security does not restrict.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'finsync_api') then
    create role finsync_api nologin;
  end if;
end
$$;
grant usage on schema public to finsync_api;
grant select on all tables in schema public to finsync_api;
grant usage, select on all sequences in schema public to finsync_api;
-- What the API itself writes: exception actions (retry, resolve, ignore) with their outbox events, audit rows.
grant insert, update on exception, exception_action, outbox, audit_event to finsync_api;
alter default privileges in schema public grant select on tables to finsync_api;

create function finsync_entity_visible(le text) returns boolean language sql stable as $$
  select case
    when le is null then coalesce(current_setting('finsync.see_unscoped', true), '') = 'on'
    else le = any(string_to_array(coalesce(current_setting('finsync.legal_entities', true), ''), ','))
  end
$$;

-- Records of a legal entity.
alter table vendor enable row level security;
create policy scoped on vendor using (finsync_entity_visible(legal_entity_id));
alter table customer enable row level security;
create policy scoped on customer using (finsync_entity_visible(legal_entity_id));
alter table invoice enable row level security;
create policy scoped on invoice using (finsync_entity_visible(legal_entity_id));
alter table payment enable row level security;
create policy scoped on payment using (finsync_entity_visible(legal_entity_id));
alter table journal_entry enable row level security;
create policy scoped on journal_entry using (finsync_entity_visible(legal_entity_id));
alter table posting enable row level security;
create policy scoped on posting using (finsync_entity_visible(legal_entity_id));
alter table exception enable row level security;
create policy scoped on exception using (finsync_entity_visible(legal_entity_id));

-- Lines and allocations: visible with their document (the subquery is itself scoped).
alter table invoice_line enable row level security;
create policy scoped on invoice_line using (exists (select 1 from invoice i where i.id = invoice_id));
alter table journal_line enable row level security;
create policy scoped on journal_line using (exists (select 1 from journal_entry j where j.id = journal_entry_id));
alter table payment_allocation enable row level security;
create policy scoped on payment_allocation using (exists (select 1 from payment p where p.id = payment_id));

-- The trail of a correlation id: visible when a record of it is (the audit trail API reads by correlation id).
create index posting_correlation on posting (correlation_id);
create function finsync_correlation_visible(c uuid) returns boolean language sql stable as $$
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
alter table audit_event enable row level security;
create policy scoped on audit_event for select using (finsync_correlation_visible(correlation_id));
-- The API writes audit rows about the principal's own requests (mutations, denied accesses).
create policy api_writes on audit_event for insert with check (true);
alter table parked_event enable row level security;
create policy scoped on parked_event using (finsync_correlation_visible(correlation_id));
-- Denied accesses and API mutations are audited, naming the principal.
alter table audit_event drop constraint audit_event_stage_check;
alter table audit_event add constraint audit_event_stage_check
  check (stage in ('RECEIVED', 'TRANSFORMED', 'VALIDATED', 'APPLIED', 'PARKED', 'RELEASED', 'REJECTED', 'SKIPPED', 'POSTING',
                   'ACCESS_DENIED', 'MUTATION'));
