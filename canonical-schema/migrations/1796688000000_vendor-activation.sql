-- Up Migration
-- Whether a vendor may be posted to: its activation in the ERP, as one view that the flows read and vendor
-- onboarding defines ("vendor activation does not occur until compliance checks pass and all systems acknowledge the
-- same vendor identity"). This first definition: a live golden record (not merged away, not deleted at the source)
-- that is ACTIVE and that the ERP knows (a Tryton party joined it through CDC). Vendor onboarding replaces the view
-- with its own states (compliance checks, party requested, acknowledged) without changing its columns.
create view vendor_activation with (security_invoker = true) as
select v.id as vendor_id,
       v.legal_entity_id,
       case
         when v.merged_into_id is not null or v.deleted_at_source then 'NOT_APPLICABLE'
         when erp.acknowledged_at is not null and v.status = 'ACTIVE' then 'ACTIVATED'
         when erp.acknowledged_at is not null then 'BLOCKED_AT_SOURCE'
         else 'AWAITING_ERP'
       end as state,
       case when erp.acknowledged_at is not null and v.status = 'ACTIVE' then erp.acknowledged_at end as activated_at,
       case
         when v.merged_into_id is not null then 'merged into another vendor'
         when v.deleted_at_source then 'deleted at the source'
         when erp.acknowledged_at is null then 'the ERP does not know this vendor yet'
         when v.status <> 'ACTIVE' then 'the vendor is ' || lower(v.status) || ' at the source'
       end as reason
  from vendor v
  left join lateral (
    select min(r.updated_at) as acknowledged_at
      from source_reference r
     where r.object_type = 'VENDOR' and r.system = 'erp' and r.canonical_id = v.id
  ) erp on true;
