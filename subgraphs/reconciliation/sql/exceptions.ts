import { FLOWS } from '../flows/flows';
import type { Condition, SortKey } from '../../shared/listQuery';

/** Exception columns (`e` is the exception table), with its age computed by the database. */
export const EXCEPTION_COLUMNS = `e.id::text as id, e.code, e.rule_id, e.rule_version, e.severity, e.message, e.object_type,
  e.field, e.legal_entity_id, e.source_system, e.source_table, e.source_id, e.canonical_id::text as canonical_id,
  e.correlation_id::text as correlation_id, e.source_event, e.status, e.owner, e.resolution_reason, e.created_at,
  e.resolved_at, e.retry_count, e.last_retry_at, extract(epoch from now() - e.created_at)::int as age_seconds`;

export const EXCEPTIONS_BY_IDS = `select ${EXCEPTION_COLUMNS} from exception e where e.id = any($1::uuid[])`;

export const EXCEPTIONS_BY_CORRELATION = `select ${EXCEPTION_COLUMNS} from exception e
  where e.correlation_id = $1::uuid order by e.created_at`;

/** Open exceptions of canonical records (their own or their source rows'); `$1` = canonical uuid[]. */
export const OPEN_EXCEPTIONS_BY_CANONICAL = `select r.canonical_id::text as key_id, ${EXCEPTION_COLUMNS}
  from source_reference r join exception e on e.source_system = r.system and e.source_table = r.source_table
   and e.source_id = r.source_id and e.status = 'OPEN'
  where r.canonical_id = any($1::uuid[])
  union all
  select e.canonical_id::text as key_id, ${EXCEPTION_COLUMNS} from exception e
  where e.canonical_id = any($1::uuid[]) and e.status = 'OPEN'`;

export const ACTIONS_BY_EXCEPTION_IDS = `select exception_id::text, action, reason, actor, correlation_id, status_before,
  status_after, at, processed_at, outcome, owner_before, owner_after from exception_action where exception_id = any($1::uuid[]) order by exception_id, id`;

export interface ExceptionRow {
  readonly id: string;
  readonly code: string;
  readonly rule_id: string | null;
  readonly rule_version: number | null;
  readonly severity: string;
  readonly message: string;
  readonly object_type: string | null;
  readonly field: string | null;
  readonly legal_entity_id: string | null;
  readonly source_system: string | null;
  readonly source_table: string | null;
  readonly source_id: string | null;
  readonly canonical_id: string | null;
  readonly correlation_id: string | null;
  readonly source_event: unknown;
  readonly status: string;
  readonly owner: string | null;
  readonly resolution_reason: string | null;
  readonly created_at: Date;
  readonly resolved_at: Date | null;
  readonly retry_count: number;
  readonly last_retry_at: Date | null;
  readonly age_seconds: number;
}

export interface ExceptionActionRow {
  readonly exception_id: string;
  readonly action: string;
  readonly reason: string;
  readonly actor: string;
  readonly correlation_id: string;
  readonly status_before: string;
  readonly status_after: string;
  readonly at: Date;
  readonly processed_at: Date | null;
  readonly outcome: string | null;
  readonly owner_before: string | null;
  readonly owner_after: string | null;
}

export interface ExceptionFilter {
  readonly status?: readonly string[] | null;
  readonly code?: readonly string[] | null;
  readonly severity?: string | null;
  readonly legalEntityId?: readonly string[] | null;
  readonly objectType?: string | null;
  readonly sourceSystem?: string | null;
  readonly correlationId?: string | null;
  readonly minAgeHours?: number | null;
  readonly maxAgeHours?: number | null;
  readonly createdFrom?: string | null;
  readonly createdTo?: string | null;
  readonly messageContains?: string | null;
  readonly owner?: readonly string[] | null;
  readonly unassigned?: boolean | null;
  readonly flow?: readonly string[] | null;
}

export const EXCEPTION_SORTS: Readonly<Record<string, SortKey>> = {
  CREATED_AT: { expr: 'e.created_at', type: 'timestamptz' },
  CODE: { expr: 'e.code', type: 'text' },
};

const c = (sql: string, value: unknown): Condition | null =>
  value === null || value === undefined ? null : { sql, value };

/** The source tables (`system:table`) of the given flows: their own table and their lines'. Unknown ids match nothing. */
function flowTables(ids: readonly string[]): string[] {
  return FLOWS.filter((f) => ids.includes(f.id)).flatMap((f) =>
    [f.source.table, ...f.source.childTables].map((t) => `${f.source.system}:${t}`),
  );
}

/** The filter as SQL conditions over `e`. */
export function exceptionConditions(filter: ExceptionFilter | null | undefined): Array<Condition | null> {
  const f = filter ?? {};
  return [
    c('e.owner = any($?::text[])', f.owner),
    f.unassigned === true ? { sql: 'e.owner is null' } : f.unassigned === false ? { sql: 'e.owner is not null' } : null,
    c("e.source_system || ':' || e.source_table = any($?::text[])", f.flow ? flowTables(f.flow) : null),
    c('e.status = any($?::text[])', f.status),
    c('e.code = any($?::text[])', f.code),
    c('e.severity = $?', f.severity),
    c('e.legal_entity_id = any($?::text[])', f.legalEntityId),
    c('e.object_type = $?', f.objectType),
    c('e.source_system = $?', f.sourceSystem),
    c('e.correlation_id = $?::uuid', f.correlationId),
    c('e.created_at <= now() - make_interval(hours => $?::int)', f.minAgeHours),
    c('e.created_at >= now() - make_interval(hours => $?::int)', f.maxAgeHours),
    c('e.created_at >= $?::timestamptz', f.createdFrom),
    c('e.created_at <= $?::timestamptz', f.createdTo),
    c(
      "e.message ilike '%' || $? || '%'",
      f.messageContains?.replace(/[\\%_]/g, (m) => `\\${m}`),
    ),
  ];
}

/**
 * What waits on exceptions (`$1` = exception uuid[]), per exception and currency: the documents parked behind the
 * source row the exception is about (a supplier refused as a duplicate holds back its invoices), and for a vendor's
 * failed onboarding check the postings that wait for the vendor's activation. `lines` counts the lines parked behind
 * those parked documents. Rows with a null currency count documents whose total is unknown.
 */
export const WAITING_BY_EXCEPTION_IDS = `
with x as (
  select e.id, e.object_type, e.canonical_id, e.rule_id,
         e.source_system || '/' || e.source_table || '/' || e.source_id as key
    from exception e where e.id = any($1::uuid[])
), docs as (
  select x.id as exception_id, p.document_currency as currency, p.document_amount as amount, p.parked_at as since,
         coalesce((select b.waiting from finsync_parked_behind(
           array[p.source_system || '/' || p.source_table || '/' || p.source_id]) b), 0) as lines
    from x join parked_event p on p.prerequisite_type = x.object_type and p.prerequisite_key = x.key
  union all
  select x.id, po.currency, po.amount, po.created_at, 0
    from x join invoice i on i.vendor_id = x.canonical_id
    join posting po on po.source_document_type = 'INVOICE' and po.source_document_id = i.id::text
     and po.status in ('PENDING_APPROVAL', 'APPROVED')
   where x.rule_id like 'VENDOR_ONBOARDING.%'
)
select exception_id::text, trim(currency) as currency, count(*)::int as count, sum(amount)::text as amount,
       sum(lines)::int as lines, min(since) as since
  from docs group by exception_id, currency order by exception_id, currency`;

export interface WaitingRow {
  readonly exception_id: string;
  readonly currency: string | null;
  readonly count: number;
  readonly amount: string | null;
  readonly lines: number;
  readonly since: Date;
}

/** The documents parked behind an exception's source row, oldest first; `$1` exception id, `$2` how many. */
export const WAITING_DOCUMENTS = `
select p.prerequisite_type, p.prerequisite_key, p.reason, p.source_system, p.source_table, p.source_id, p.parked_at,
       p.document_amount::text as document_amount, trim(p.document_currency) as document_currency,
       x.id::text as exception_id
  from exception x join parked_event p on p.prerequisite_type = x.object_type
   and p.prerequisite_key = x.source_system || '/' || x.source_table || '/' || x.source_id
 where x.id = $1::uuid
 order by p.parked_at, p.id limit $2`;

/**
 * For parked changes: the open exception about the row each waits for, if any — a parked invoice shows that its
 * supplier is held as a duplicate. `$1` keys (`<type>|<key>`), `$2` types, `$3` systems, `$4` tables, `$5` source ids.
 */
export const EXCEPTIONS_HOLDING = `
select k.k as key_id, ${EXCEPTION_COLUMNS}
  from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as k(k, type, s, t, i)
  join exception e on e.status = 'OPEN' and e.object_type = k.type
   and e.source_system = k.s and e.source_table = k.t and e.source_id = k.i`;
