import type { Condition, SortKey } from '../../shared/listQuery';

/** Vendor columns (`p` is the vendor table); customers select the same names (`iban` null). */
export const VENDOR_COLUMNS = `p.id::text as id, p.legal_entity_id, p.name, p.tax_id, p.iban, p.email, p.currency, p.country, p.status,
  p.correlation_id::text as correlation_id, p.source_updated_at, p.canonical_updated_at, p.deleted_at_source,
  p.version, p.mapping_version`;
export const CUSTOMER_COLUMNS = VENDOR_COLUMNS.replace('p.iban', 'null::text as iban').replace(
  'p.country',
  'null::text as country',
);

/** Whether vendors may be posted to (the view vendor onboarding defines); `$1` = vendor uuid[]. */
export const ACTIVATION_BY_VENDOR_IDS = `select vendor_id::text as id, state, activated_at, reason
  from vendor_activation where vendor_id = any($1::uuid[])`;

export interface ActivationRow {
  readonly id: string;
  readonly state: string;
  readonly activated_at: Date | null;
  readonly reason: string | null;
}

export const VENDORS_BY_IDS = `select ${VENDOR_COLUMNS} from vendor p where p.id = any($1::uuid[])`;
export const CUSTOMERS_BY_IDS = `select ${CUSTOMER_COLUMNS} from customer p where p.id = any($1::uuid[])`;

export interface CounterpartyRow {
  readonly id: string;
  readonly legal_entity_id: string;
  readonly name: string;
  readonly tax_id: string | null;
  readonly iban: string | null;
  readonly email: string | null;
  readonly currency: string | null;
  readonly country: string | null;
  readonly status: string;
  readonly correlation_id: string;
  readonly source_updated_at: Date | null;
  readonly canonical_updated_at: Date;
  readonly deleted_at_source: boolean;
  readonly version: number;
  readonly mapping_version: string | null;
}

export interface CounterpartyFilter {
  readonly legalEntityId?: readonly string[] | null;
  readonly status?: readonly string[] | null;
  readonly currency?: readonly string[] | null;
  readonly nameContains?: string | null;
  readonly taxId?: string | null;
  readonly includeDeletedAtSource?: boolean | null;
}

export const COUNTERPARTY_SORTS: Readonly<Record<string, SortKey>> = {
  NAME: { expr: 'p.name', type: 'text' },
  LAST_UPDATED: { expr: 'p.canonical_updated_at', type: 'timestamptz' },
};

const c = (sql: string, value: unknown): Condition | null =>
  value === null || value === undefined ? null : { sql, value };

/** The filter as SQL conditions over `p`. */
export function counterpartyConditions(filter: CounterpartyFilter | null | undefined): Array<Condition | null> {
  const f = filter ?? {};
  return [
    c('p.legal_entity_id = any($?::text[])', f.legalEntityId),
    c('p.status = any($?::text[])', f.status),
    c('p.currency = any($?::text[])', f.currency),
    c(
      "p.name ilike '%' || $? || '%'",
      f.nameContains?.replace(/[\\%_]/g, (m) => `\\${m}`),
    ),
    c('p.tax_id = $?', f.taxId),
    f.includeDeletedAtSource ? null : { sql: 'not p.deleted_at_source' },
  ];
}
