-- Up Migration
-- The loop closes (issue 5): a posting is confirmed when the ERP's own rows, captured back through CDC, hold what
-- was posted — the same amounts on the same accounts, on the same date, posted. `erp_journal_entry_id` is the
-- canonical journal entry built from the ERP's move; `confirmation_differences` says what differs, in words.
alter table posting add column confirmation_status text
  check (confirmation_status in ('PENDING', 'CONFIRMED', 'MISMATCH'));
alter table posting add column confirmed_at timestamptz;
alter table posting add column confirmation_differences jsonb not null default '[]';
alter table posting add column erp_journal_entry_id uuid references journal_entry (id);
create index posting_to_confirm on posting (posted_at)
  where status = 'POSTED' and confirmation_status is distinct from 'CONFIRMED';
