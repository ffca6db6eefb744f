-- Flows (issue 12 part B): the routing of canonical documents to the ERP, by the definitions in flows/definitions/.
-- flow_state: whether operations paused a flow (pauseFlow / resumeFlow, audited); a flow without a row runs.
create table flow_state (
  flow_id               text primary key,
  state                 text not null check (state in ('RUNNING', 'PAUSED')),
  reason                text,
  changed_by            text not null,
  changed_at            timestamptz not null default now()
);
grant insert, update on flow_state to finsync_api;

-- flow_document: one row per flow and canonical document that reached the flow's trigger state — where it is
-- (WAITING for a prerequisite or a paused flow, IN_PROGRESS once its action started, DONE once the ERP has it,
-- FAILED with an exception), since when, and what was posted (for the change-after-posting check).
create table flow_document (
  flow_id               text not null,
  canonical_id          uuid not null,
  legal_entity_id       text not null references legal_entity (id),
  number                text not null,
  amount                numeric(38, 4),
  currency              char(3),
  definition_version    integer not null,
  state                 text not null check (state in ('WAITING', 'IN_PROGRESS', 'DONE', 'FAILED')),
  waits_for             text,
  triggered_at          timestamptz not null,                -- when the canonical record reached the trigger state
  waiting_since         timestamptz,
  action_reference      text,                                -- the posting id (or ERP party id) the action started
  done_at               timestamptz,
  failed_version        integer,                             -- the canonical version that failed (a new one is tried again)
  exception_id          uuid,
  done_snapshot         jsonb,                               -- the document's fields as they were posted
  done_version          integer,
  changed_exception_id  uuid,                                -- the exception naming fields changed after posting
  sla_breached_at       timestamptz,                         -- set once, the moment it waited longer than its SLA
  correlation_id        uuid,
  updated_at            timestamptz not null default now(),
  primary key (flow_id, canonical_id)
);
create index flow_document_open on flow_document (flow_id, state) where state in ('WAITING', 'IN_PROGRESS');
create index flow_document_entity on flow_document (flow_id, legal_entity_id, state);
alter table flow_document enable row level security;
create policy scoped on flow_document using (finsync_entity_visible(legal_entity_id));
