-- Up Migration
-- Postings into the ERP (issue 5): journals and invoices that finsync validated, routed through approval and
-- posts exactly once into the ERP. See docs/posting.md.

create table posting (
  id                    uuid primary key,                    -- finsync's posting id; the ERP document carries it as its reference
  kind                  text not null check (kind in ('JOURNAL', 'INVOICE')),
  legal_entity_id       text not null references legal_entity (id),
  status                text not null check (status in ('DRAFT', 'PENDING_APPROVAL', 'APPROVED', 'SUBMITTED', 'POSTED', 'REJECTED', 'FAILED', 'CANCELLED')),
  body                  jsonb not null,                      -- the validated, normalised input (or the canonical invoice as posted)
  body_hash             text not null,                       -- sha256 of the canonical JSON of body: the same key with another body is refused
  amount                numeric(19, 4) not null,             -- total debits (journal) or total amount (invoice): approval and role limits
  currency              char(3) not null references currency (code),
  idempotency_scope     text not null,                       -- the principal the key belongs to
  idempotency_key       text not null,
  preparer              text not null,                       -- principal subject who submitted it (never an input field)
  approver              text,                                -- principal subject who approved or rejected it
  decided_at            timestamptz,
  decision_reason       text,
  source_document_type  text,                                -- 'INVOICE', 'PAYROLL_RUN', … : one live posting per source document
  source_document_id    text,
  user_errors           jsonb not null default '[]',         -- [{code, field, message}]: why the ERP refused it, in its words
  erp_system            text,
  erp_reference         text not null,                       -- what the ERP document carries: 'finsync:<id>'
  erp_document_id       text,
  erp_document_number   text,
  attempts              integer not null default 0,
  next_attempt_at       timestamptz,
  last_error            text,
  correlation_id        uuid not null,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now(),
  submitted_at          timestamptz,
  posted_at             timestamptz,
  version               integer not null default 1,
  unique (idempotency_scope, idempotency_key),
  check ((source_document_type is null) = (source_document_id is null))
);
-- The same source document is never posted twice: one posting per document unless it was rejected or cancelled.
create unique index posting_source_document on posting (source_document_type, source_document_id)
  where source_document_id is not null and status not in ('REJECTED', 'CANCELLED');
create index posting_status on posting (status, legal_entity_id);

-- The work queue of the posting worker, written in the transaction that approves a posting (or accepts one that
-- needs no approval). A row is claimed with FOR UPDATE SKIP LOCKED and leased until `locked_until`; it is deleted
-- in the transaction that records the ERP's answer.
create table posting_queue (
  posting_id            uuid primary key references posting (id),
  run_at                timestamptz not null default now(),
  locked_until          timestamptz,
  locked_by             text,
  created_at            timestamptz not null default now()
);
create index posting_queue_due on posting_queue (run_at);

-- Every status change of a posting is an audit event of stage POSTING (detail: from, to, by, reason, userErrors).
alter table audit_event drop constraint audit_event_stage_check;
alter table audit_event add constraint audit_event_stage_check
  check (stage in ('RECEIVED', 'TRANSFORMED', 'VALIDATED', 'APPLIED', 'PARKED', 'RELEASED', 'REJECTED', 'SKIPPED', 'POSTING'));
