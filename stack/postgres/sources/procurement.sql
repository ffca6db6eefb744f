-- Procurement / AP suite (stand-in SaaS database), captured by Debezium as topics procurement.public.<table>.
-- Idempotent: stack/postgres/up.sh runs it on every `stack:up`.
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
-- A full before image on update and delete: the consumer sees what a delete removed.
alter table supplier_invoice replica identity full;
