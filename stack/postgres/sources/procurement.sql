-- Procurement / AP suite (stand-in SaaS database), captured by Debezium as topics procurement.public.<table>.
-- Idempotent: stack/postgres/up.sh runs it on every `stack:up` (and stack/docker/postgres-init.sh under Docker).
-- Money is numeric(18,2) in the document currency. supplier_invoice.amount is the gross total:
-- sum(supplier_invoice_line.amount) (net) + supplier_invoice.tax_amount.

-- updated_at follows every update unless the update sets it itself.
create or replace function finsync_touch_updated_at() returns trigger language plpgsql as $$
begin
  if new.updated_at is not distinct from old.updated_at then
    new.updated_at := now();
  end if;
  return new;
end
$$;

create table if not exists supplier (
  id                bigserial primary key,
  supplier_code     text not null unique,
  legal_name        text not null,
  tax_id            text,
  iban              text,
  email             text,
  onboarding_status text not null
    check (onboarding_status in ('DRAFT', 'PENDING_REVIEW', 'APPROVED', 'SUSPENDED')),
  currency          char(3) not null,
  legal_entity      text not null default 'FS-EU',
  updated_at        timestamp(6) not null default now()
);
-- The supplier's country (ISO 3166 alpha-2): its tax id and IBAN are checked for it (vendor onboarding).
alter table supplier add column if not exists country char(2);
-- Not unique: a duplicate vendor (same tax id under another name) is something finsync must catch.
create index if not exists supplier_tax_id_idx on supplier (tax_id);

create table if not exists purchase_order (
  id            bigserial primary key,
  po_number     text not null unique,
  supplier_code text not null,
  legal_entity  text not null default 'FS-EU',
  order_date    date not null,
  currency      char(3) not null,
  total_amount  numeric(18, 2) not null,
  status        text not null default 'OPEN' check (status in ('OPEN', 'RECEIVED', 'CLOSED', 'CANCELLED')),
  updated_at    timestamp(6) not null default now()
);

-- supplier_ref holds the supplier's supplier_code (the suite's own reference, no foreign key).
create table if not exists supplier_invoice (
  id            bigserial primary key,
  supplier_ref  text not null,
  number        text not null,
  amount        numeric(18, 2) not null,
  currency      char(3) not null,
  invoice_date  date not null,
  approved_at   timestamptz,
  updated_at    timestamp(6) not null default now()
);
alter table supplier_invoice add column if not exists legal_entity text not null default 'FS-EU';
alter table supplier_invoice add column if not exists po_number text;
alter table supplier_invoice add column if not exists tax_amount numeric(18, 2) not null default 0;
alter table supplier_invoice add column if not exists due_date date;
alter table supplier_invoice add column if not exists status text not null default 'APPROVED'
  check (status in ('RECEIVED', 'APPROVED', 'REJECTED', 'PAID'));
-- Not unique: the same supplier number twice in a fiscal year is a duplicate invoice finsync must catch.
create index if not exists supplier_invoice_supplier_number_idx on supplier_invoice (supplier_ref, number);

create table if not exists supplier_invoice_line (
  id                  bigserial primary key,
  supplier_invoice_id bigint not null references supplier_invoice (id),
  line_no             int not null,
  description         text,
  account_code        text not null,
  cost_center         text,
  tax_code            text,
  quantity            numeric(18, 4) not null default 1,
  unit_price          numeric(18, 2) not null,
  amount              numeric(18, 2) not null,
  unique (supplier_invoice_id, line_no)
);
alter table supplier_invoice_line add column if not exists updated_at timestamp(6) not null default now();

-- A full before image on update and delete: the consumer sees what a delete removed.
alter table supplier replica identity full;
alter table purchase_order replica identity full;
alter table supplier_invoice replica identity full;
alter table supplier_invoice_line replica identity full;

create or replace trigger supplier_touch before update on supplier
  for each row execute function finsync_touch_updated_at();
create or replace trigger purchase_order_touch before update on purchase_order
  for each row execute function finsync_touch_updated_at();
create or replace trigger supplier_invoice_touch before update on supplier_invoice
  for each row execute function finsync_touch_updated_at();
create or replace trigger supplier_invoice_line_touch before update on supplier_invoice_line
  for each row execute function finsync_touch_updated_at();

-- The publication Debezium reads (connector publication.autocreate.mode=all_tables): FOR ALL TABLES, so a
-- table added to this file later is captured without touching the publication. A publication left over
-- from `filtered` mode lists only the tables that existed when the connector first started; it is replaced
-- in this one transaction, so a reader of the slot never finds the publication missing.
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
