import type { SourceSystem } from '../sources/SourceDatabases';

/** A record at the source stage, as every flow's source query returns it. */
export interface SourceRecord {
  readonly source_id: string;
  readonly number: string | null;
  readonly currency: string | null;
  /** The control amount as a decimal string (null for flows that count only, e.g. suppliers). */
  readonly amount: string | null;
  /** The source's own status code (e.g. `issued`), translated by `statusMap`. */
  readonly status: string | null;
  /** Seconds since the source last changed the row, computed by the source database itself. */
  readonly age_seconds: number | string | null;
  readonly line_count?: number | string | null;
  readonly line_total?: string | null;
  /** Source ids of its lines (rows of `childTables`), comma-separated. */
  readonly line_ids?: string | null;
}

/** A record at the canonical stage. */
export interface CanonicalRecord {
  readonly source_id: string;
  readonly canonical_id: string;
  readonly number: string | null;
  readonly currency: string | null;
  readonly amount: string | null;
  readonly status: string;
  readonly deleted: boolean;
  readonly line_count?: number | null;
  readonly line_total?: string | null;
}

/** The period (or, for flows without one, the whole legal entity) a reconciliation covers. */
export interface FlowScope {
  readonly legalEntityId: string;
  /** First and last day, ISO dates. */
  readonly from: string;
  readonly to: string;
  /** Only documents whose number starts with this (a number series); '' for all. */
  readonly numberPrefix: string;
}

/** A parameterised statement. */
export interface Statement {
  readonly sql: string;
  readonly values: readonly unknown[];
}

/**
 * One reconciliation flow, as data: where its records come from at each stage and how to read them. Queries return
 * `SourceRecord` / `CanonicalRecord` rows. `version` changes with any change of its queries or status map.
 */
export interface FlowDefinition {
  readonly id: string;
  readonly version: number;
  /** e.g. "Billing invoices → canonical → ERP". */
  readonly name: string;
  readonly description: string;
  /** The canonical object type (source_reference.object_type). */
  readonly objectType: 'INVOICE' | 'PAYMENT' | 'JOURNAL_ENTRY' | 'VENDOR';
  /** Whether the flow's records belong to a period (documents) or not (master data: the period is ignored). */
  readonly periodic: boolean;
  readonly source: {
    readonly system: SourceSystem;
    /** As in source_reference.source_table and exception.source_table. */
    readonly table: string;
    /** Tables whose rows make up a record too (its lines): their exceptions explain a record's difference. */
    readonly childTables: readonly string[];
    readonly inScope: (scope: FlowScope) => Statement;
    readonly byIds: (sourceIds: readonly string[]) => Statement;
  };
  readonly canonical: {
    readonly inScope: (scope: FlowScope) => Statement;
    readonly byCanonicalIds: (ids: readonly string[]) => Statement;
  };
  /** Source status → the canonical statuses that agree with it (settlement may move an open invoice on). */
  readonly statusMap: Readonly<Record<string, readonly string[]>>;
  /** Whether line count and line total are compared. */
  readonly comparesLines: boolean;
}
