-- Up Migration
-- The ERP's side comes back (issue 12): Tryton's invoices (with their lines and taxes) and payments as Tryton holds
-- them, captured through CDC (docs/tryton-source.md). Each is linked to the canonical record it is the ERP's copy of:
-- a document finsync posted (its reference is finsync:<posting id>) is the TARGET side of the posting's canonical
-- invoice or payment; a document entered in Tryton directly becomes a canonical record of system erp of its own
-- (role SOURCE, the same id as its row here). Reconciliation compares the two sides; an invoice's totals are
-- Tryton function fields, so they are computed here from its lines and taxes as Tryton computes them.

create table erp_invoice (
  id                    uuid primary key,                    -- the source row's correlation id; an ERP-native invoice's canonical id too
  source_id             text not null unique,                -- account_invoice.id
  legal_entity_id       text not null references legal_entity (id),
  type                  text not null check (type in ('ACCOUNTS_PAYABLE', 'ACCOUNTS_RECEIVABLE')),
  number                text,                                -- Tryton's number (set when posted)
  reference             text,                                -- finsync:<posting id>, or the supplier's number
  description           text,
  state                 text not null,                       -- Tryton's own: draft, validated, posted, paid, cancelled
  status                text not null check (status in ('DRAFT', 'SUBMITTED', 'AUTHORIZED', 'OPEN', 'PARTIALLY_PAID', 'PAID', 'VOID')),
  currency              char(3) not null references currency (code),
  invoice_date          date,
  accounting_date       date,
  created_on            date,
  party_source_id       text not null,
  move_source_id        text,
  posting_id            uuid,                                -- the posting whose reference it carries, when this store holds it
  canonical_id          uuid,                                -- the canonical invoice it is the ERP's side of, or became
  role                  text check (role in ('SOURCE', 'TARGET')),
  untaxed_amount        numeric(38, 4) not null default 0,
  tax_amount            numeric(38, 4) not null default 0,
  total_amount          numeric(38, 4) not null default 0,
  paid_amount           numeric(38, 4) not null default 0,   -- its succeeded ERP payments
  line_count            integer not null default 0,
  correlation_id        uuid not null,
  source_updated_at     timestamptz,
  mapping_version       text,
  deleted_at_source     boolean not null default false,
  version               integer not null default 1,
  updated_at            timestamptz not null default now()
);
create index erp_invoice_canonical on erp_invoice (canonical_id) where canonical_id is not null;
create index erp_invoice_move on erp_invoice (move_source_id) where move_source_id is not null;

create table erp_invoice_line (
  id                    uuid primary key,
  source_id             text not null unique,                -- account_invoice_line.id
  invoice_source_id     text,
  line_type             text not null,                       -- line; subtotal, title, comment carry no amount
  sequence              integer,
  description           text,
  account_source_id     text,
  quantity              numeric(38, 6),
  unit_price            numeric(38, 4),
  amount                numeric(38, 4) not null default 0,   -- quantity × unit price, rounded as Tryton rounds it
  currency              char(3) references currency (code),
  mapping_version       text,
  deleted_at_source     boolean not null default false,
  updated_at            timestamptz not null default now()
);
create index erp_invoice_line_invoice on erp_invoice_line (invoice_source_id);

create table erp_invoice_tax (
  id                    uuid primary key,
  source_id             text not null unique,                -- account_invoice_tax.id
  invoice_source_id     text not null,
  description           text,
  base                  numeric(38, 4) not null,
  amount                numeric(38, 4) not null,
  mapping_version       text,
  deleted_at_source     boolean not null default false,
  updated_at            timestamptz not null default now()
);
create index erp_invoice_tax_invoice on erp_invoice_tax (invoice_source_id);

create table erp_payment (
  id                    uuid primary key,                    -- the source row's correlation id; an ERP-native payment's canonical id too
  source_id             text not null unique,                -- account_payment.id
  legal_entity_id       text not null references legal_entity (id),
  direction             text not null check (direction in ('OUTBOUND', 'INBOUND')),
  state                 text not null,                       -- Tryton's own: draft, submitted, approved, processing, succeeded, failed
  status                text not null check (status in ('PENDING', 'SETTLED', 'FAILED', 'VOID')),
  amount                numeric(38, 4) not null,
  currency              char(3) references currency (code),  -- its journal's: the currency of the line it pays, else the company's
  payment_date          date not null,
  description           text,
  party_source_id       text not null,
  line_source_id        text,                                -- the move line it pays
  invoice_source_id     text,                                -- the ERP invoice whose move holds that line
  posting_id            uuid,
  canonical_id          uuid,
  role                  text check (role in ('SOURCE', 'TARGET')),
  correlation_id        uuid not null,
  source_updated_at     timestamptz,
  mapping_version       text,
  deleted_at_source     boolean not null default false,
  version               integer not null default 1,
  updated_at            timestamptz not null default now()
);
create index erp_payment_canonical on erp_payment (canonical_id) where canonical_id is not null;
create index erp_payment_invoice on erp_payment (invoice_source_id) where invoice_source_id is not null;

-- A move line in another currency than its journal's keeps that amount too (the ERP's move lines of a
-- foreign-currency document): confirmation compares a posting with it in the posting's currency.
alter table journal_line add column second_currency char(3) references currency (code);
alter table journal_line add column amount_second_currency numeric(38, 4);

-- Row-level security as for the canonical records (1796190000000_security.sql).
alter table erp_invoice enable row level security;
create policy scoped on erp_invoice using (finsync_entity_visible(legal_entity_id));
alter table erp_payment enable row level security;
create policy scoped on erp_payment using (finsync_entity_visible(legal_entity_id));
alter table erp_invoice_line enable row level security;
create policy scoped on erp_invoice_line
  using (exists (select 1 from erp_invoice i where i.source_id = invoice_source_id));
alter table erp_invoice_tax enable row level security;
create policy scoped on erp_invoice_tax
  using (exists (select 1 from erp_invoice i where i.source_id = invoice_source_id));
