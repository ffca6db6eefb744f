-- Billing platform (stand-in SaaS database), captured by Debezium as topics billing.billing.<table>.
-- Idempotent: stack/mariadb/up.sh runs it on every `stack:up`.
create table if not exists invoice (
  id            bigint auto_increment primary key,
  customer_code varchar(32) not null,
  number        varchar(64) not null,
  total         decimal(18, 2) not null,
  currency      char(3) not null,
  issue_date    date not null,
  updated_at    datetime(6) not null default current_timestamp(6) on update current_timestamp(6)
) engine = InnoDB;
