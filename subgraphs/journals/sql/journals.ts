import type { Condition, SortKey } from '../../shared/listQuery';
import { periodRange } from '../../shared/periodRange';

/** Journal entry columns (`j` is journal_entry, `ap` its accounting period). */
export const JOURNAL_COLUMNS = `j.id::text as id, j.legal_entity_id, j.journal_type, j.number,
  j.transaction_date::text as transaction_date, j.memo, j.source_document_type, j.source_document_id::text as source_document_id,
  j.posting_status, j.correlation_id::text as correlation_id, j.source_updated_at, j.canonical_updated_at,
  j.deleted_at_source, j.version, j.mapping_version, ap.fiscal_year as period_fiscal_year,
  ap.period_number as period_number, ap.start_date::text as period_start, ap.end_date::text as period_end,
  ap.status as period_status`;

export const JOURNAL_FROM = 'journal_entry j left join accounting_period ap on ap.id = j.accounting_period_id';

export const JOURNALS_BY_IDS = `select ${JOURNAL_COLUMNS} from ${JOURNAL_FROM} where j.id = any($1::uuid[])`;

/** Entries accounting for the given documents; `$1` = document uuid[]. */
export const JOURNALS_BY_SOURCE_DOCUMENTS = `select ${JOURNAL_COLUMNS} from ${JOURNAL_FROM}
  where j.source_document_id = any($1::uuid[]) order by j.transaction_date, j.id`;

export const LINES_BY_JOURNAL_IDS = `select journal_entry_id::text, line_number, account_code, description,
  debit::text, credit::text, currency, dimensions from journal_line
  where journal_entry_id = any($1::uuid[]) order by journal_entry_id, line_number`;

export interface JournalRow {
  readonly id: string;
  readonly legal_entity_id: string;
  readonly journal_type: string;
  readonly number: string | null;
  readonly transaction_date: string;
  readonly memo: string | null;
  readonly source_document_type: string | null;
  readonly source_document_id: string | null;
  readonly posting_status: string;
  readonly correlation_id: string;
  readonly source_updated_at: Date | null;
  readonly canonical_updated_at: Date;
  readonly deleted_at_source: boolean;
  readonly version: number;
  readonly mapping_version: string | null;
  readonly period_fiscal_year: number | null;
  readonly period_number: number | null;
  readonly period_start: string | null;
  readonly period_end: string | null;
  readonly period_status: string | null;
}

export interface JournalLineRow {
  readonly journal_entry_id: string;
  readonly line_number: number;
  readonly account_code: string;
  readonly description: string | null;
  readonly debit: string;
  readonly credit: string;
  readonly currency: string;
  readonly dimensions: Record<string, string>;
}

export interface JournalEntryFilter {
  readonly legalEntityId?: readonly string[] | null;
  readonly journalType?: readonly string[] | null;
  readonly postingStatus?: readonly string[] | null;
  readonly currency?: readonly string[] | null;
  readonly period?: string | null;
  readonly transactionDateFrom?: string | null;
  readonly transactionDateTo?: string | null;
  readonly numberPrefix?: string | null;
  readonly includeDeletedAtSource?: boolean | null;
}

export const JOURNAL_SORTS: Readonly<Record<string, SortKey>> = {
  TRANSACTION_DATE: { expr: 'j.transaction_date', type: 'date' },
  NUMBER: { expr: "coalesce(j.number, '')", type: 'text' },
  LAST_UPDATED: { expr: 'j.canonical_updated_at', type: 'timestamptz' },
};

const c = (sql: string, value: unknown): Condition | null =>
  value === null || value === undefined ? null : { sql, value };

/** The filter as SQL conditions over `j`. */
export function journalConditions(filter: JournalEntryFilter | null | undefined): Array<Condition | null> {
  const f = filter ?? {};
  const period = f.period ? periodRange(f.period, 'filter.period') : null;
  return [
    c('j.legal_entity_id = any($?::text[])', f.legalEntityId),
    c('j.journal_type = any($?::text[])', f.journalType),
    c('j.posting_status = any($?::text[])', f.postingStatus),
    c(
      'exists (select 1 from journal_line l where l.journal_entry_id = j.id and l.currency = any($?::text[]))',
      f.currency,
    ),
    c('j.transaction_date >= $?::date', period?.from),
    c('j.transaction_date <= $?::date', period?.to),
    c('j.transaction_date >= $?::date', f.transactionDateFrom),
    c('j.transaction_date <= $?::date', f.transactionDateTo),
    c(
      "j.number like $? || '%'",
      f.numberPrefix?.replace(/[\\%_]/g, (m) => `\\${m}`),
    ),
    f.includeDeletedAtSource ? null : { sql: 'not j.deleted_at_source' },
  ];
}
