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
  status_after, at, processed_at, outcome from exception_action where exception_id = any($1::uuid[]) order by exception_id, id`;

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
}

export const EXCEPTION_SORTS: Readonly<Record<string, SortKey>> = {
  CREATED_AT: { expr: 'e.created_at', type: 'timestamptz' },
  CODE: { expr: 'e.code', type: 'text' },
};

const c = (sql: string, value: unknown): Condition | null =>
  value === null || value === undefined ? null : { sql, value };

/** The filter as SQL conditions over `e`. */
export function exceptionConditions(filter: ExceptionFilter | null | undefined): Array<Condition | null> {
  const f = filter ?? {};
  return [
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
