-- Up Migration
-- Read paths of the federated subgraphs (issue 4), and the audited actions on exceptions.

-- Entity fetches that cross subgraphs: a counterparty's documents, an invoice's journal entries, an audit trail.
create index invoice_vendor_issue on invoice (vendor_id, issue_date, id) where vendor_id is not null;
create index invoice_customer_issue on invoice (customer_id, issue_date, id) where customer_id is not null;
create index invoice_issue_date on invoice (issue_date, id);
create index payment_payment_date on payment (payment_date, id);
create index journal_entry_source_document on journal_entry (source_document_id) where source_document_id is not null;
create index journal_entry_transaction_date on journal_entry (transaction_date, id);
create index source_reference_correlation on source_reference (correlation_id);
create index exception_correlation on exception (correlation_id);
create index exception_canonical on exception (canonical_id) where canonical_id is not null;
create index parked_event_correlation on parked_event (correlation_id);

-- Retry, resolve and ignore are actions a person takes on an exception: each one is recorded with its reason,
-- who asked (as the gateway forwarded it) and the request's correlation id; nothing is updated without a row here.
alter table exception add column retry_count integer not null default 0;
alter table exception add column last_retry_at timestamptz;

create table exception_action (
  id                    bigserial primary key,
  exception_id          uuid not null references exception (id),
  action                text not null check (action in ('RETRY', 'RESOLVE', 'IGNORE')),
  reason                text not null check (length(btrim(reason)) > 0),
  actor                 text not null,
  correlation_id        text not null,
  status_before         text not null,
  status_after          text not null,
  at                    timestamptz not null default now()
);
create index exception_action_exception on exception_action (exception_id, id);
