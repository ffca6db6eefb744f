-- Up Migration
-- The canonical finance model, version 1. Forward-only: a change is a new migration, never an edit.
-- Field names and status enums follow the unified accounting APIs (Merge, Codat) and the ERPs' ledgers.
-- Money: NUMERIC(19,4) beside an ISO 4217 currency column, never a float.

-- Every canonical object carries the same bookkeeping columns (see PRODUCT.md "The canonical model"):
--   correlation_id     traces the object from source row to ERP document
--   status             the object's own lifecycle
--   source_updated_at  when the source last changed it; canonical_updated_at when finsync did
--   deleted_at_source  the source row is gone; the canonical record stays for the audit trail
--   version            bumped on every applied change (optimistic concurrency, subscriptions)
--   mapping_version    the mapping rule id@version that produced the current state

create table legal_entity (
  id                    text primary key,                    -- e.g. 'FS-EU'
  name                  text not null,
  country               char(2) not null,
  base_currency         char(3) not null,
  created_at            timestamptz not null default now()
);

create table currency (
  code                  char(3) primary key check (code ~ '^[A-Z]{3}$'),
  name                  text not null,
  minor_units           smallint not null check (minor_units between 0 and 4)
);

create table accounting_period (
  id                    uuid primary key default gen_random_uuid(),
  legal_entity_id       text not null references legal_entity (id),
  fiscal_year           integer not null,
  period_number         smallint not null check (period_number between 1 and 13),
  start_date            date not null,
  end_date              date not null check (end_date >= start_date),
  status                text not null check (status in ('OPEN', 'CLOSED')),
  correlation_id        uuid not null default gen_random_uuid(),
  source_updated_at     timestamptz,
  canonical_updated_at  timestamptz not null default now(),
  deleted_at_source     boolean not null default false,
  version               integer not null default 1,
  mapping_version       text,
  unique (legal_entity_id, fiscal_year, period_number)
);

create table account (
  id                    uuid primary key default gen_random_uuid(),
  legal_entity_id       text not null references legal_entity (id),
  code                  text not null,
  name                  text not null,
  type                  text not null check (type in ('ASSET', 'LIABILITY', 'EQUITY', 'REVENUE', 'EXPENSE')),
  status                text not null default 'ACTIVE' check (status in ('ACTIVE', 'INACTIVE')),
  allows_posting        boolean not null default true,
  required_dimensions   text[] not null default '{}',      -- dimension types a line on this account must carry
  correlation_id        uuid not null default gen_random_uuid(),
  source_updated_at     timestamptz,
  canonical_updated_at  timestamptz not null default now(),
  deleted_at_source     boolean not null default false,
  version               integer not null default 1,
  mapping_version       text,
  unique (legal_entity_id, code)
);

create table dimension (
  id                    uuid primary key default gen_random_uuid(),
  legal_entity_id       text not null references legal_entity (id),
  type                  text not null check (type in ('DEPARTMENT', 'COST_CENTER', 'PROJECT', 'LOCATION')),
  code                  text not null,
  name                  text not null,
  status                text not null default 'ACTIVE' check (status in ('ACTIVE', 'INACTIVE')),
  unique (legal_entity_id, type, code)
);

create table tax_code (
  id                    uuid primary key default gen_random_uuid(),
  legal_entity_id       text not null references legal_entity (id),
  code                  text not null,
  name                  text not null,
  rate                  numeric(9, 6) not null check (rate >= 0),
  status                text not null default 'ACTIVE' check (status in ('ACTIVE', 'INACTIVE')),
  unique (legal_entity_id, code)
);

-- The vendor golden record: one row per real supplier, whatever the number of sources that know it.
create table vendor (
  id                    uuid primary key default gen_random_uuid(),
  legal_entity_id       text not null references legal_entity (id),
  name                  text not null,
  normalized_name       text not null,
  tax_id                text,
  iban                  text,
  email                 text,
  currency              char(3) references currency (code),
  status                text not null check (status in ('ACTIVE', 'INACTIVE', 'PENDING', 'BLOCKED')),
  correlation_id        uuid not null default gen_random_uuid(),
  source_updated_at     timestamptz,
  canonical_updated_at  timestamptz not null default now(),
  deleted_at_source     boolean not null default false,
  version               integer not null default 1,
  mapping_version       text
);
create index vendor_tax_id on vendor (legal_entity_id, tax_id) where tax_id is not null;
create index vendor_iban on vendor (legal_entity_id, iban) where iban is not null;
create index vendor_normalized_name on vendor (legal_entity_id, normalized_name);

create table customer (
  id                    uuid primary key default gen_random_uuid(),
  legal_entity_id       text not null references legal_entity (id),
  name                  text not null,
  tax_id                text,
  email                 text,
  currency              char(3) references currency (code),
  status                text not null check (status in ('ACTIVE', 'INACTIVE', 'ARCHIVED')),
  correlation_id        uuid not null default gen_random_uuid(),
  source_updated_at     timestamptz,
  canonical_updated_at  timestamptz not null default now(),
  deleted_at_source     boolean not null default false,
  version               integer not null default 1,
  mapping_version       text
);

create table invoice (
  id                    uuid primary key default gen_random_uuid(),
  legal_entity_id       text not null references legal_entity (id),
  type                  text not null check (type in ('ACCOUNTS_PAYABLE', 'ACCOUNTS_RECEIVABLE')),
  is_credit_note        boolean not null default false,
  number                text not null,
  vendor_id             uuid references vendor (id),
  customer_id           uuid references customer (id),
  issue_date            date not null,
  due_date              date,
  fiscal_year           integer not null,
  currency              char(3) not null references currency (code),
  sub_total             numeric(19, 4) not null,
  total_tax_amount      numeric(19, 4) not null default 0,
  total_amount          numeric(19, 4) not null,
  balance               numeric(19, 4) not null,             -- open amount still to be paid
  status                text not null check (status in ('DRAFT', 'SUBMITTED', 'AUTHORIZED', 'OPEN', 'PARTIALLY_PAID', 'PAID', 'VOID')),
  memo                  text,
  correlation_id        uuid not null default gen_random_uuid(),
  source_updated_at     timestamptz,
  canonical_updated_at  timestamptz not null default now(),
  deleted_at_source     boolean not null default false,
  version               integer not null default 1,
  mapping_version       text,
  check ((type = 'ACCOUNTS_PAYABLE' and vendor_id is not null) or (type = 'ACCOUNTS_RECEIVABLE' and customer_id is not null))
);
-- No duplicate invoice: the same counterparty and number within a fiscal year (the validator reports it
-- as an exception first; the index is the last line of defence).
create unique index invoice_vendor_number on invoice (legal_entity_id, vendor_id, fiscal_year, number) where vendor_id is not null;
create unique index invoice_customer_number on invoice (legal_entity_id, customer_id, fiscal_year, number) where customer_id is not null;

create table invoice_line (
  id                    uuid primary key default gen_random_uuid(),
  invoice_id            uuid not null references invoice (id) on delete cascade,
  line_number           integer not null,
  description           text,
  quantity              numeric(19, 6) not null default 1,
  unit_price            numeric(19, 4) not null,
  total_amount          numeric(19, 4) not null,
  account_id            uuid references account (id),
  tax_code_id           uuid references tax_code (id),
  dimensions            jsonb not null default '{}',         -- {"DEPARTMENT": "D-100", …}
  unique (invoice_id, line_number)
);

create table payment (
  id                    uuid primary key default gen_random_uuid(),
  legal_entity_id       text not null references legal_entity (id),
  direction             text not null check (direction in ('OUTBOUND', 'INBOUND')),
  vendor_id             uuid references vendor (id),
  customer_id           uuid references customer (id),
  payment_date          date not null,
  currency              char(3) not null references currency (code),
  total_amount          numeric(19, 4) not null check (total_amount >= 0),
  reference             text,
  status                text not null check (status in ('PENDING', 'SETTLED', 'FAILED', 'VOID')),
  correlation_id        uuid not null default gen_random_uuid(),
  source_updated_at     timestamptz,
  canonical_updated_at  timestamptz not null default now(),
  deleted_at_source     boolean not null default false,
  version               integer not null default 1,
  mapping_version       text
);

create table payment_allocation (
  payment_id            uuid not null references payment (id) on delete cascade,
  invoice_id            uuid not null references invoice (id),
  amount                numeric(19, 4) not null check (amount > 0),
  currency              char(3) not null references currency (code),
  primary key (payment_id, invoice_id)
);

create table journal_entry (
  id                    uuid primary key default gen_random_uuid(),
  legal_entity_id       text not null references legal_entity (id),
  journal_type          text not null check (journal_type in ('GENERAL', 'PAYROLL', 'ACCRUAL', 'INVOICE', 'PAYMENT')),
  number                text,
  transaction_date      date not null,
  accounting_period_id  uuid references accounting_period (id),
  memo                  text,
  source_document_type  text,                                -- 'INVOICE', 'PAYMENT', 'PAYROLL_RUN', …
  source_document_id    uuid,
  posting_status        text not null check (posting_status in ('DRAFT', 'PENDING_APPROVAL', 'APPROVED', 'SUBMITTED', 'POSTED', 'REJECTED', 'FAILED')),
  correlation_id        uuid not null default gen_random_uuid(),
  source_updated_at     timestamptz,
  canonical_updated_at  timestamptz not null default now(),
  deleted_at_source     boolean not null default false,
  version               integer not null default 1,
  mapping_version       text
);

create table journal_line (
  id                    uuid primary key default gen_random_uuid(),
  journal_entry_id      uuid not null references journal_entry (id) on delete cascade,
  line_number           integer not null,
  account_id            uuid references account (id),
  account_code          text not null,                       -- as the source named it, kept for the audit trail
  description           text,
  debit                 numeric(19, 4) not null default 0 check (debit >= 0),
  credit                numeric(19, 4) not null default 0 check (credit >= 0),
  currency              char(3) not null references currency (code),
  dimensions            jsonb not null default '{}',
  unique (journal_entry_id, line_number),
  check (debit = 0 or credit = 0)
);

-- The cross-reference: which source row (and which ERP document) each canonical object was built from.
create table source_reference (
  system                text not null,                       -- 'erp', 'billing', 'procurement', 'payroll'
  source_table          text not null,                       -- '<schema-or-db>.<table>'
  source_id             text not null,                       -- the source primary key, as text
  object_type           text not null,                       -- 'VENDOR', 'INVOICE', …
  canonical_id          uuid not null,
  role                  text not null default 'SOURCE' check (role in ('SOURCE', 'TARGET')),
  last_position         jsonb,                               -- the newest applied source position
  last_operation        text,
  correlation_id        uuid not null,
  updated_at            timestamptz not null default now(),
  primary key (system, source_table, source_id)
);
create index source_reference_canonical on source_reference (object_type, canonical_id);

-- Exceptions: the finance work queue. Every input that does not become canonical state lands here.
create table exception (
  id                    uuid primary key default gen_random_uuid(),
  code                  text not null,                       -- e.g. 'DUPLICATE_VENDOR', 'UNBALANCED_JOURNAL'
  rule_id               text,
  rule_version          integer,
  severity              text not null check (severity in ('ERROR', 'WARNING')),
  message               text not null,                       -- business words: the record and the rule
  object_type           text,
  field                 text,
  legal_entity_id       text,
  source_system         text,
  source_table          text,
  source_id             text,
  canonical_id          uuid,
  correlation_id        uuid,
  source_event          jsonb,                               -- the decoded change, or the raw payload of a poison message
  status                text not null default 'OPEN' check (status in ('OPEN', 'RESOLVED', 'IGNORED')),
  owner                 text,
  resolution_reason     text,
  created_at            timestamptz not null default now(),
  resolved_at           timestamptz,
  fingerprint           text not null                        -- one open exception per problem, whatever the redeliveries
);
create unique index exception_fingerprint_open on exception (fingerprint) where status = 'OPEN';
create index exception_status_created on exception (status, created_at);

create table audit_event (
  id                    bigserial primary key,
  correlation_id        uuid not null,
  stage                 text not null check (stage in ('RECEIVED', 'TRANSFORMED', 'VALIDATED', 'APPLIED', 'PARKED', 'RELEASED', 'REJECTED', 'SKIPPED')),
  object_type           text,
  canonical_id          uuid,
  source_system         text,
  source_table          text,
  source_id             text,
  detail                jsonb not null default '{}',
  at                    timestamptz not null default now()
);
create index audit_event_correlation on audit_event (correlation_id, id);

-- Transactional outbox: canonical change events, written in the apply transaction, published by the relay.
create table outbox (
  id                    bigserial primary key,
  aggregate_type        text not null,
  aggregate_id          uuid not null,
  correlation_id        uuid not null,
  event_type            text not null,                       -- 'INVOICE_STATUS_CHANGED', 'EXCEPTION_RAISED', …
  old_status            text,
  new_status            text,
  legal_entity_id       text,
  payload               jsonb not null,
  created_at            timestamptz not null default now(),
  published_at          timestamptz
);
create index outbox_unpublished on outbox (id) where published_at is null;

-- Consumer offsets, committed in the same transaction as the canonical rows they produced.
create table consumer_offset (
  group_id              text not null,
  topic                 text not null,
  partition             integer not null,
  next_offset           bigint not null,
  updated_at            timestamptz not null default now(),
  primary key (group_id, topic, partition)
);

-- Events waiting for a prerequisite (a payment before its invoice, an invoice before its vendor).
create table parked_event (
  id                    bigserial primary key,
  prerequisite_type     text not null,                       -- 'VENDOR', 'INVOICE', …
  prerequisite_key      text not null,                       -- '<system>:<source id>' or a canonical key
  reason                text not null,
  correlation_id        uuid not null,
  source_system         text not null,
  source_table          text not null,
  source_id             text not null,
  event                 jsonb not null,                      -- the decoded ChangeEvent
  parked_at             timestamptz not null default now()
);
create index parked_event_prerequisite on parked_event (prerequisite_type, prerequisite_key);
create unique index parked_event_source on parked_event (source_system, source_table, source_id);

-- Reference data translations owned by finance (payroll cost center → ERP department, …), versioned.
create table code_translation (
  domain                text not null,                       -- 'PAYROLL_COST_CENTER', 'BILLING_PRODUCT'
  source_system         text not null,
  source_code           text not null,
  target_type           text not null,                       -- 'DIMENSION:DEPARTMENT', 'ACCOUNT'
  target_code           text not null,
  version               integer not null default 1,
  primary key (domain, source_system, source_code)
);
