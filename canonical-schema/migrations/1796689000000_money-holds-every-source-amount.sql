-- Up Migration
-- Every amount a source can hold, and every sum of them finsync stores, fits exactly (issue 11, docs/money.md).
-- The sources keep numeric(18,2): up to 9,999,999,999,999,999.99, 16 digits before the point. NUMERIC(19,4) held 15,
-- so the largest billing invoice failed with `numeric field overflow`. NUMERIC(38,4) holds 34 digits before the point
-- and the same four decimals: the sum of 10^18 maximal source amounts. Quantities (numeric(18,4) at the source:
-- 14 digits before the point, NUMERIC(19,6) held 13) widen the same way.
-- canonical-schema/money/storeLimits.ts states these types for the validation rule AMOUNTS_FIT_STORE; the schema test
-- checks the two agree.
--
-- Widening the precision at the same scale rewrites no table and rebuilds no index (PostgreSQL treats it as a
-- binary-compatible change); the CHECK constraints on these columns are kept. No view, rule or policy reads a money
-- column (the row-level security policies read legal entities and parent ids only), so nothing needs to be dropped
-- and recreated around the ALTERs.

alter table invoice
  alter column sub_total type numeric(38, 4),
  alter column total_tax_amount type numeric(38, 4),
  alter column total_amount type numeric(38, 4),
  alter column balance type numeric(38, 4);

alter table invoice_line
  alter column quantity type numeric(38, 6),
  alter column unit_price type numeric(38, 4),
  alter column total_amount type numeric(38, 4);

alter table payment
  alter column total_amount type numeric(38, 4);

alter table payment_allocation
  alter column amount type numeric(38, 4);

alter table journal_line
  alter column debit type numeric(38, 4),
  alter column credit type numeric(38, 4);

alter table posting
  alter column amount type numeric(38, 4);
