/**
 * The SQL of vendor onboarding. A vendor is taken up when it is live, ACTIVE at its source and not a party of the
 * ERP itself (those need no onboarding), and either has never been checked, changed since it was checked, passed its
 * checks but has no party in the ERP yet (the ERP was unreachable), or waits for the ERP's acknowledgement.
 */

/** A vendor as onboarding sees it (`v`, its onboarding row `o`, its first source row `src`). */
const VENDOR_WORK = `
select v.id, v.legal_entity_id, v.name, v.tax_id, v.iban, v.country, v.version, v.correlation_id::text,
       o.state, o.checked_version, o.identity, o.erp_party_id,
       src.system as source_system, src.source_table, src.source_id,
       array(select w.message from exception w
              where w.canonical_id = v.id and w.code = 'POSSIBLE_DUPLICATE_VENDOR' and w.status = 'OPEN'
              order by w.created_at) as possible_duplicates
  from vendor v
  left join vendor_onboarding o on o.vendor_id = v.id
  left join lateral (
    select r.system, r.source_table, r.source_id from source_reference r
     where r.object_type = 'VENDOR' and r.canonical_id = v.id and r.system <> 'erp'
     order by r.updated_at limit 1
  ) src on true`;

/** Vendors with onboarding work, oldest change first; `$1` = how many, `$2` = a source id prefix or null (all). */
export const VENDORS_TO_ONBOARD = `${VENDOR_WORK}
 where v.merged_into_id is null and not v.deleted_at_source and v.status = 'ACTIVE'
   and (src.system is not null
        or not exists (select 1 from source_reference r where r.object_type = 'VENDOR' and r.canonical_id = v.id))
   and ($2::text is null or src.source_id like $2 || '%')
   and (o.vendor_id is null or o.checked_version is distinct from v.version
        or o.state in ('CHECKS_PENDING', 'PARTY_REQUESTED'))
 order by v.canonical_updated_at, v.id
 limit $1`;

/** One vendor as onboarding sees it; `$1` = vendor id. */
export const VENDOR_BY_ID = `${VENDOR_WORK} where v.id = $1`;

/** Records the outcome of the checks; `$1` vendor, `$2` entity, `$3` state, `$4` version, `$5` identity, `$6` failures. */
export const RECORD_CHECKS = `
insert into vendor_onboarding (vendor_id, legal_entity_id, state, checked_version, identity, failed_checks, checked_at)
values ($1, $2, $3, $4, $5, $6, now())
on conflict (vendor_id) do update
   set state = excluded.state, checked_version = excluded.checked_version, identity = excluded.identity,
       failed_checks = excluded.failed_checks, checked_at = now(), updated_at = now(),
       acknowledged_at = case when excluded.state = 'ACTIVATED' then vendor_onboarding.acknowledged_at end`;

/** The party was found or created in the ERP: the vendor waits for the ERP to acknowledge it through CDC. */
export const RECORD_PARTY_REQUESTED = `
update vendor_onboarding set state = 'PARTY_REQUESTED', erp_system = $2, erp_party_id = $3,
       party_requested_at = now(), acknowledged_at = null, updated_at = now()
 where vendor_id = $1`;

/**
 * The ERP acknowledged the vendor: its party (the one requested) and that party's tax identifier came back through
 * CDC and joined this golden record — the identifier joins it only when it holds the vendor's tax id (cdc/apply
 * stageVendorAttributes), so "joined" is "the same identity". `$1` vendor id, `$2` the requested party's id, `$3` the
 * tax id it was requested with.
 */
export const ERP_ACKNOWLEDGED = `
select exists (select 1 from source_reference r
                where r.object_type = 'VENDOR' and r.canonical_id = $1 and r.system = 'erp'
                  and r.source_table = 'public.party_party' and r.source_id = $2)
   and exists (select 1 from source_reference r join vendor v on v.id = r.canonical_id
                where r.object_type = 'VENDOR' and r.canonical_id = $1 and r.system = 'erp'
                  and r.source_table = 'public.party_identifier' and v.tax_id = $3) as acknowledged`;

export const RECORD_ACTIVATED = `
update vendor_onboarding set state = 'ACTIVATED', acknowledged_at = now(), updated_at = now()
 where vendor_id = $1 and state = 'PARTY_REQUESTED'
returning acknowledged_at`;

/** Onboarding exceptions of the vendor still open: `$1` vendor id. */
export const OPEN_ONBOARDING_EXCEPTIONS = `
select id, fingerprint from exception where canonical_id = $1 and status = 'OPEN' and rule_id like 'VENDOR_ONBOARDING.%'`;

export const RESOLVE_EXCEPTIONS = `
update exception set status = 'RESOLVED', resolved_at = now(), resolution_reason = $2
 where id = any($1::uuid[]) and status = 'OPEN'`;
