-- Up Migration
-- What the operations console (issue 13) and other clients read and do through the API: owners of exceptions
-- (assigned by a person, audited like every other action), the queue filtered by owner, hourly trends, and CDC
-- freshness per source system.

-- Assigning an owner is an action on an exception like retry, resolve and ignore: recorded with its reason, the
-- principal and the correlation id; the owner before and after are kept beside the statuses (which it leaves alone).
alter table exception_action drop constraint exception_action_action_check;
alter table exception_action add constraint exception_action_action_check
  check (action in ('RETRY', 'RESOLVE', 'IGNORE', 'SAME_VENDOR', 'DISTINCT_VENDOR', 'ASSIGN'));
alter table exception_action add column owner_before text;
alter table exception_action add column owner_after text;

-- The queue by owner, and the trends by hour (raised at created_at, closed at resolved_at).
create index exception_owner on exception (owner, created_at) where owner is not null;
create index exception_resolved_at on exception (resolved_at) where resolved_at is not null;
create index posting_created_at on posting (created_at, id);

-- CDC freshness: the newest applied change of each source system (source_reference.updated_at is when the pipeline
-- applied it; the canonical record's source_updated_at is the source's commit time).
create index source_reference_system_updated on source_reference (system, updated_at desc);
