/** The pipeline's audit rows of one correlation id, in order; `$1` = the correlation id. */
export const AUDIT_EVENTS = `select id::text, stage, object_type, canonical_id::text as canonical_id, source_system,
  source_table, source_id, detail, at from audit_event where correlation_id = $1::uuid order by id`;

/** The source rows (role SOURCE) and ERP documents (role TARGET) of the correlation id. */
export const REFERENCES = `select system, source_table, source_id, object_type, canonical_id::text as canonical_id, role,
  updated_at from source_reference where correlation_id = $1::uuid order by role, system, source_table, source_id`;

/** Changes of the correlation id still waiting for a prerequisite. */
export const PARKED = `select prerequisite_type, prerequisite_key, reason, source_system, source_table, source_id, parked_at,
  document_amount::text as document_amount, trim(document_currency) as document_currency
  from parked_event where correlation_id = $1::uuid order by id`;

/** What people did to the correlation id's exceptions. */
export const ACTIONS = `select a.exception_id::text, a.action, a.reason, a.actor, a.correlation_id, a.status_before,
  a.status_after, a.at, a.processed_at, a.outcome, a.owner_before, a.owner_after from exception_action a join exception e on e.id = a.exception_id
  where e.correlation_id = $1::uuid order by a.id`;
