-- Billing platform (stand-in SaaS database), captured by Debezium as topics billing.billing.<table>.
-- Idempotent: stack/mariadb/up.sh runs it on every `stack:up` (and stack/docker/mariadb-init.sh under Docker).
-- Money is decimal(18,2) in the document currency: invoice.subtotal = sum(invoice_line.amount),
-- invoice.total = subtotal + tax_total.
-- No foreign keys, as in many SaaS schemas: a payment can reference an invoice row written after it, and
-- InnoDB's cascaded deletes would not reach the binlog that Debezium reads.

create table if not exists customer (
  id            bigint auto_increment primary key,
  customer_code varchar(32) not null unique,
  name          varchar(255) not null,
  tax_id        varchar(64),
  email         varchar(255),
  currency      char(3) not null,
  legal_entity  varchar(16) not null default 'FS-US',
  status        varchar(16) not null default 'active' check (status in ('active', 'churned')),
  updated_at    datetime(6) not null default current_timestamp(6) on update current_timestamp(6)
) engine = InnoDB;

create table if not exists invoice (
  id            bigint auto_increment primary key,
  customer_code varchar(32) not null,
  number        varchar(64) not null,
  total         decimal(18, 2) not null,
  currency      char(3) not null,
  issue_date    date not null,
  updated_at    datetime(6) not null default current_timestamp(6) on update current_timestamp(6)
) engine = InnoDB;
alter table invoice add column if not exists legal_entity varchar(16) not null default 'FS-US';
alter table invoice add column if not exists due_date date;
alter table invoice add column if not exists subtotal decimal(18, 2);
alter table invoice add column if not exists tax_total decimal(18, 2) not null default 0;
alter table invoice add column if not exists status varchar(16) not null default 'issued'
  check (status in ('draft', 'issued', 'paid', 'void'));
create index if not exists invoice_number_idx on invoice (number);

create table if not exists invoice_line (
  id           bigint auto_increment primary key,
  invoice_id   bigint not null,
  line_no      int not null,
  product_code varchar(32) not null,
  description  varchar(255),
  quantity     decimal(18, 4) not null default 1,
  unit_price   decimal(18, 2) not null,
  amount       decimal(18, 2) not null,
  tax_code     varchar(16),
  updated_at   datetime(6) not null default current_timestamp(6) on update current_timestamp(6),
  unique key invoice_line_invoice_line_no (invoice_id, line_no)
) engine = InnoDB;

create table if not exists credit_memo (
  id             bigint auto_increment primary key,
  customer_code  varchar(32) not null,
  number         varchar(64) not null unique,
  invoice_number varchar(64),
  total          decimal(18, 2) not null,
  currency       char(3) not null,
  issue_date     date not null,
  legal_entity   varchar(16) not null default 'FS-US',
  reason         varchar(255),
  updated_at     datetime(6) not null default current_timestamp(6) on update current_timestamp(6)
) engine = InnoDB;

create table if not exists payment (
  id            bigint auto_increment primary key,
  customer_code varchar(32) not null,
  invoice_id    bigint not null,
  amount        decimal(18, 2) not null,
  currency      char(3) not null,
  paid_at       date not null,
  method        varchar(16),
  status        varchar(16) not null default 'settled' check (status in ('pending', 'settled', 'failed')),
  reference     varchar(64) unique,
  legal_entity  varchar(16) not null default 'FS-US',
  updated_at    datetime(6) not null default current_timestamp(6) on update current_timestamp(6),
  key payment_invoice_id_idx (invoice_id)
) engine = InnoDB;
