-- Up Migration
-- Vendor onboarding (issue 12, flow VENDOR_ONBOARDING): a vendor is activated for posting only once its compliance
-- checks pass (tax id and IBAN valid for its country, not a duplicate) and the ERP's party has come back through CDC
-- with the same identity. Activation is a state of the onboarding, beside the status the source gives the vendor:
-- the pipeline keeps applying what the sources say. See docs/vendor-onboarding.md.

-- The supplier's country (procurement's new `country` column): the checks validate the tax id and IBAN for it.
alter table vendor add column country char(2);

-- One row per vendor the onboarding flow has taken up. `checked_version` is the vendor version the checks ran on (a
-- vendor that changes is checked again); `identity` what they ran on (tax id, IBAN, country): a vendor whose identity
-- changes is requested in the ERP again and waits for the ERP's acknowledgement again.
create table vendor_onboarding (
  vendor_id             uuid primary key references vendor (id),
  legal_entity_id       text not null references legal_entity (id),
  state                 text not null check (state in ('CHECKS_PENDING', 'CHECKS_FAILED', 'PARTY_REQUESTED', 'ACTIVATED')),
  checked_version       integer,
  identity              jsonb,
  failed_checks         jsonb not null default '[]',         -- [{check, field, message}]
  erp_system            text,
  erp_party_id          text,                                -- the ERP's party id, once requested
  checked_at            timestamptz,
  party_requested_at    timestamptz,
  acknowledged_at       timestamptz,                         -- the ERP's party came back with the same identity
  updated_at            timestamptz not null default now()
);
create index vendor_onboarding_open on vendor_onboarding (state) where state <> 'ACTIVATED';
alter table vendor_onboarding enable row level security;
create policy scoped on vendor_onboarding using (finsync_entity_visible(legal_entity_id));

-- A data steward's answer to a DUPLICATE_VENDOR exception: the source row is the SAME company as the existing golden
-- record (it joins it) or a DISTINCT one (it is created although it looks alike). The pipeline reads it when it takes
-- the source row again; nothing is merged or created without a row here.
create table vendor_match_decision (
  source_system         text not null,
  source_table          text not null,
  source_id             text not null,
  existing_vendor_id    uuid not null references vendor (id),
  decision              text not null check (decision in ('SAME', 'DISTINCT')),
  exception_id          uuid references exception (id),
  decided_by            text not null,
  reason                text not null check (length(btrim(reason)) > 0),
  correlation_id        text not null,
  decided_at            timestamptz not null default now(),
  primary key (source_system, source_table, source_id, existing_vendor_id)
);
grant insert, update on vendor_match_decision to finsync_api;

-- What a parked document is worth (its total and currency, when it has one): an exception shows the documents that
-- wait behind it, counted and totalled per currency.
alter table parked_event add column document_amount numeric(38, 4);
alter table parked_event add column document_currency char(3);
-- ... and its legal entity: the readers of that entity see that it waits (before, only the readers of records of no
-- entity did, since a parked document has made no record yet).
alter table parked_event add column legal_entity_id text;
drop policy scoped on parked_event;
create policy scoped on parked_event
  using (finsync_entity_visible(legal_entity_id) or finsync_correlation_visible(correlation_id));
create index parked_event_waiting on parked_event (prerequisite_type, prerequisite_key) include (document_amount, document_currency);
-- How many changes wait behind each parked document (an invoice's lines wait for their invoice). A line names no legal
-- entity, so row-level security would hide it from the readers of its invoice's entity: this counts them for whoever
-- may see the document (the caller passes the keys of documents it sees), and shows nothing but the count.
create function finsync_parked_behind(keys text[]) returns table (prerequisite_key text, waiting bigint)
  language sql stable security definer set search_path = public as $$
  select p.prerequisite_key, count(*) from parked_event p
   where p.prerequisite_type in ('INVOICE', 'PAYMENT') and p.prerequisite_key = any(keys)
   group by p.prerequisite_key
$$;
grant execute on function finsync_parked_behind(text[]) to finsync_api;

-- The steward's decisions are actions on the exception like retry / resolve / ignore, carried out by the pipeline.
alter table exception_action drop constraint exception_action_action_check;
alter table exception_action add constraint exception_action_action_check
  check (action in ('RETRY', 'RESOLVE', 'IGNORE', 'SAME_VENDOR', 'DISTINCT_VENDOR'));
create index exception_action_decision_pending on exception_action (id)
  where action in ('SAME_VENDOR', 'DISTINCT_VENDOR') and processed_at is null;

-- Whether a vendor may be posted to. Same columns as before (the flows read them); the states are now onboarding's:
--   NOT_APPLICABLE     merged into another golden record, or deleted at the source
--   ACTIVATED          checks passed and the ERP acknowledged the same identity; or a party of the ERP itself
--   BLOCKED_AT_SOURCE  the source does not approve it (pending, inactive, blocked)
--   CHECKS_PENDING     approved, not checked yet (or checked, its party not requested yet: the ERP was unreachable)
--   CHECKS_FAILED      a compliance check failed (its exception names the check and the field)
--   AWAITING_ERP       the party was requested in the ERP and has not come back through CDC yet
create or replace view vendor_activation with (security_invoker = true) as
select v.id as vendor_id,
       v.legal_entity_id,
       case
         when v.merged_into_id is not null or v.deleted_at_source then 'NOT_APPLICABLE'
         when v.status <> 'ACTIVE' then 'BLOCKED_AT_SOURCE'
         when src.erp_only then 'ACTIVATED'
         when o.state = 'ACTIVATED' then 'ACTIVATED'
         when o.state = 'CHECKS_FAILED' then 'CHECKS_FAILED'
         when o.state = 'PARTY_REQUESTED' then 'AWAITING_ERP'
         else 'CHECKS_PENDING'
       end as state,
       case
         when v.merged_into_id is not null or v.deleted_at_source or v.status <> 'ACTIVE' then null
         when src.erp_only then src.first_seen
         when o.state = 'ACTIVATED' then o.acknowledged_at
       end as activated_at,
       case
         when v.merged_into_id is not null then 'merged into another vendor'
         when v.deleted_at_source then 'deleted at the source'
         when v.status <> 'ACTIVE' then 'the vendor is ' || lower(v.status) || ' at the source'
         when src.erp_only then null
         when o.state = 'ACTIVATED' then null
         when o.state = 'CHECKS_FAILED' then
           'compliance checks failed: ' ||
           (select string_agg(c->>'message', '; ') from jsonb_array_elements(o.failed_checks) c)
         when o.state = 'PARTY_REQUESTED' then
           'the party was requested in the ERP; waiting for the ERP to acknowledge the same identity'
         when o.checked_at is not null then 'the checks passed; its party is being requested in the ERP'
         else 'compliance checks have not run yet'
       end as reason
  from vendor v
  left join vendor_onboarding o on o.vendor_id = v.id
  left join lateral (
    -- A vendor only the ERP knows is the ERP's own party: nothing to onboard.
    select bool_and(r.system = 'erp') and count(*) > 0 as erp_only, min(r.updated_at) as first_seen
      from source_reference r
     where r.object_type = 'VENDOR' and r.canonical_id = v.id
  ) src on true;
