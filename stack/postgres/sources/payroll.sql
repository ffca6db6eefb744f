-- Payroll provider (stand-in SaaS database), captured by Debezium as topics payroll.public.<table>.
-- Idempotent: stack/postgres/up.sh runs it on every `stack:up` (and stack/docker/postgres-init.sh under Docker).

-- updated_at follows every update unless the update sets it itself.
create or replace function finsync_touch_updated_at() returns trigger language plpgsql as $$
begin
  if new.updated_at is not distinct from old.updated_at then
    new.updated_at := now();
  end if;
  return new;
end
$$;

-- One payroll run and its summarized journal. `lines` is the provider's own format, keyed by the provider's
-- cost-center codes (CC-ENG, CC-SLS, CC-ADM), amounts as decimal strings:
--   [{"line_no":1,"gl_account":"6100","cost_center":"CC-ENG","description":"Gross salaries",
--     "debit":"12000.00","credit":"0.00"}, …]
create table if not exists payroll_journal (
  id           bigserial primary key,
  run_code     text not null unique,
  legal_entity text not null default 'FS-EU',
  period_start date not null,
  period_end   date not null,
  pay_date     date not null,
  currency     char(3) not null,
  status       text not null check (status in ('DRAFT', 'APPROVED', 'RELEASED')),
  lines        jsonb not null,
  updated_at   timestamp(6) not null default now()
);

-- A full before image on update and delete: the consumer sees what a delete removed.
alter table payroll_journal replica identity full;

create or replace trigger payroll_journal_touch before update on payroll_journal
  for each row execute function finsync_touch_updated_at();

-- The publication Debezium reads (connector publication.autocreate.mode=all_tables): FOR ALL TABLES, so a
-- table added to this file later is captured without touching the publication. A publication left over
-- from `filtered` mode is replaced in this one transaction, so the slot's reader never finds it missing.
do $$
declare
  pub text := 'finsync_' || current_database();
begin
  if exists (select 1 from pg_publication where pubname = pub and not puballtables) then
    execute format('drop publication %I', pub);
  end if;
  if not exists (select 1 from pg_publication where pubname = pub) then
    execute format('create publication %I for all tables', pub);
  end if;
end
$$;
