import DataLoader from 'dataloader';
import type { ObjectType } from '../../canonical-schema/model/enums';
import type { SourcePosition } from '../envelope/ChangeEvent';
import type { VendorRow } from './CanonicalRows';
import type { Db } from '../../canonical-schema/Db';
import { serialQueries } from './serialQueries';

/** What the pipeline knows of a source row it applied before. */
export interface StoredReference {
  readonly canonicalId: string;
  readonly objectType: ObjectType;
  readonly lastPosition: SourcePosition | null;
}

/** The state of an existing canonical record that a change needs: its status, and what messages name. */
export interface ExistingRecord {
  readonly id: string;
  readonly status: string;
  readonly name: string;
  readonly legalEntityId: string;
}

/** An existing invoice with the same counterparty, fiscal year and number. */
export interface NumberedInvoice {
  readonly id: string;
  readonly sourceId: string;
}

/** A vendor of the entity that shares a tax id, an IBAN or a similar name with a new supplier. */
export interface VendorMatch {
  readonly row: VendorRow;
  /** pg_trgm similarity of the normalized names. */
  readonly similarity: number;
  /** The systems that already hold a source reference to this vendor. */
  readonly systems: readonly string[];
}

/** A data steward's answer to a DUPLICATE_VENDOR exception about a source row (vendor_match_decision). */
export interface VendorMatchDecision {
  readonly existingVendorId: string;
  readonly decision: 'SAME' | 'DISTINCT';
}

export interface VendorMatchKey {
  readonly legalEntityId: string;
  readonly taxId: string | null;
  readonly iban: string | null;
  readonly normalizedName: string;
}

export interface InvoiceNumberKey {
  readonly legalEntityId: string;
  readonly counterpartyId: string;
  readonly fiscalYear: number;
  readonly number: string;
}

/**
 * The lookups a batch makes, each a DataLoader over one set-based query: every change of a round asks for
 * what it needs at once (`gatherChange`), so each lookup is one `= ANY` / `unnest` query per round instead
 * of one per event; later asks are answered from the loader's cache. Valid for one round of one transaction.
 */
export interface BatchLoaders {
  /** Key: `sourceKey(system, table, sourceId)`. */
  readonly sourceRef: DataLoader<string, StoredReference | null>;
  readonly vendor: DataLoader<string, VendorRow | null>;
  readonly customer: DataLoader<string, ExistingRecord | null>;
  readonly invoice: DataLoader<string, ExistingRecord | null>;
  readonly payment: DataLoader<string, ExistingRecord | null>;
  readonly journalEntry: DataLoader<string, (ExistingRecord & { readonly currency: string | null }) | null>;
  /** An account's code and entity, by canonical id. */
  readonly account: DataLoader<
    string,
    { readonly id: string; readonly code: string; readonly legalEntityId: string } | null
  >;
  /** The canonical id of an account by entity and code (`<entity>/<code>`). */
  readonly accountId: DataLoader<string, string | null>;
  /** The canonical id of a period by entity, fiscal year and number (`<entity>/<year>/<number>`). */
  readonly periodId: DataLoader<string, string | null>;
  readonly invoicesNumbered: DataLoader<InvoiceNumberKey, readonly NumberedInvoice[], string>;
  readonly vendorMatches: DataLoader<VendorMatchKey, readonly VendorMatch[], string>;
  /** Key: `sourceKey(system, table, sourceId)`: the steward's decisions about that source row. */
  readonly vendorDecisions: DataLoader<string, readonly VendorMatchDecision[]>;
}

/** The key of a source row in maps and loaders. */
export const sourceKey = (system: string, table: string, sourceId: string): string =>
  `${system}\u0000${table}\u0000${sourceId}`;

/** How many candidate vendors a new supplier is compared with (the best first). */
const VENDOR_CANDIDATES = 5;

export function createBatchLoaders(connection: Db): BatchLoaders {
  const db = serialQueries(connection);
  const options = { maxBatchSize: 5_000 };
  return {
    sourceRef: new DataLoader(async (keys) => {
      const parts = keys.map((k) => k.split('\u0000'));
      const { rows } = await db.query<{
        system: string;
        source_table: string;
        source_id: string;
        canonical_id: string;
        object_type: ObjectType;
        last_position: SourcePosition | null;
      }>(
        `select r.system, r.source_table, r.source_id, r.canonical_id, r.object_type, r.last_position
           from source_reference r
           join unnest($1::text[], $2::text[], $3::text[]) as k(s, t, i)
             on r.system = k.s and r.source_table = k.t and r.source_id = k.i`,
        [parts.map((p) => p[0]), parts.map((p) => p[1]), parts.map((p) => p[2])],
      );
      const found = new Map(
        rows.map((r) => [
          sourceKey(r.system, r.source_table, r.source_id),
          { canonicalId: r.canonical_id, objectType: r.object_type, lastPosition: r.last_position },
        ]),
      );
      return keys.map((k) => found.get(k) ?? null);
    }, options),
    vendor: new DataLoader(async (ids) => {
      const { rows } = await db.query<VendorDbRow>(`${VENDOR_COLUMNS} from vendor v where v.id = any($1::uuid[])`, [
        ids,
      ]);
      const found = new Map(rows.map((r) => [r.id, vendorRow(r)]));
      return ids.map((id) => found.get(id) ?? null);
    }, options),
    customer: recordLoader(db, `select id, status, name, legal_entity_id from customer where id = any($1::uuid[])`),
    invoice: recordLoader(
      db,
      `select id, status, number as name, legal_entity_id from invoice where id = any($1::uuid[])`,
    ),
    payment: recordLoader(
      db,
      `select id, status, coalesce(reference, id::text) as name, legal_entity_id from payment where id = any($1::uuid[])`,
    ),
    journalEntry: new DataLoader(async (ids) => {
      const { rows } = await db.query<{
        id: string;
        status: string;
        name: string;
        legal_entity_id: string;
        currency: string | null;
      }>(
        `select id, posting_status as status, coalesce(number, id::text) as name, legal_entity_id, currency
           from journal_entry where id = any($1::uuid[])`,
        [ids],
      );
      const found = new Map(
        rows.map((r) => [
          r.id,
          {
            id: r.id,
            status: r.status,
            name: r.name,
            legalEntityId: r.legal_entity_id,
            currency: r.currency?.trim() ?? null,
          },
        ]),
      );
      return ids.map((id) => found.get(id) ?? null);
    }, options),
    account: new DataLoader(async (ids) => {
      const { rows } = await db.query<{ id: string; code: string; legal_entity_id: string }>(
        `select id, code, legal_entity_id from account where id = any($1::uuid[])`,
        [ids],
      );
      const found = new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, legalEntityId: r.legal_entity_id }]));
      return ids.map((id) => found.get(id) ?? null);
    }, options),
    accountId: new DataLoader(async (keys) => {
      const parts = keys.map((k) => k.split('/'));
      const { rows } = await db.query<{ k: string; id: string }>(
        `select a.legal_entity_id || '/' || a.code as k, a.id
           from account a join unnest($1::text[], $2::text[]) as k(le, code) on a.legal_entity_id = k.le and a.code = k.code`,
        [parts.map((p) => p[0]), parts.map((p) => p.slice(1).join('/'))],
      );
      const found = new Map(rows.map((r) => [r.k, r.id]));
      return keys.map((k) => found.get(k) ?? null);
    }, options),
    periodId: new DataLoader(async (keys) => {
      const parts = keys.map((k) => k.split('/'));
      const { rows } = await db.query<{ k: string; id: string }>(
        `select p.legal_entity_id || '/' || p.fiscal_year || '/' || p.period_number as k, p.id
           from accounting_period p
           join unnest($1::text[], $2::int[], $3::int[]) as k(le, fy, pn)
             on p.legal_entity_id = k.le and p.fiscal_year = k.fy and p.period_number = k.pn`,
        [parts.map((p) => p[0]), parts.map((p) => Number(p[1])), parts.map((p) => Number(p[2]))],
      );
      const found = new Map(rows.map((r) => [r.k, r.id]));
      return keys.map((k) => found.get(k) ?? null);
    }, options),
    invoicesNumbered: new DataLoader(
      async (keys) => {
        const { rows } = await db.query<{ n: number; id: string; source_id: string }>(
          `select k.n, i.id, coalesce(r.source_id, i.id::text) as source_id
             from unnest($1::text[], $2::uuid[], $3::int[], $4::text[]) with ordinality as k(le, cp, fy, num, n)
             join invoice i on i.legal_entity_id = k.le and (i.vendor_id = k.cp or i.customer_id = k.cp)
                           and i.fiscal_year = k.fy and i.number = k.num and not i.deleted_at_source
             left join source_reference r on r.canonical_id = i.id and r.object_type = 'INVOICE' and r.role = 'SOURCE'`,
          [
            keys.map((k) => k.legalEntityId),
            keys.map((k) => k.counterpartyId),
            keys.map((k) => k.fiscalYear),
            keys.map((k) => k.number),
          ],
        );
        const out = keys.map((): NumberedInvoice[] => []);
        for (const r of rows) out[Number(r.n) - 1]!.push({ id: r.id, sourceId: r.source_id });
        return out;
      },
      { ...options, cacheKeyFn: (k) => JSON.stringify([k.legalEntityId, k.counterpartyId, k.fiscalYear, k.number]) },
    ),
    vendorMatches: new DataLoader(
      async (keys) => {
        // Strong matches (tax id, IBAN) first, then by name similarity; pg_trgm's `%` uses the GIN index.
        const { rows } = await db.query<VendorDbRow & { n: number; similarity: number; systems: string[] }>(
          `select k.n, m.*
             from unnest($1::text[], $2::text[], $3::text[], $4::text[]) with ordinality as k(le, tax, iban, nname, n)
             cross join lateral (
               ${VENDOR_COLUMNS}, similarity(v.normalized_name, k.nname) as similarity,
                      array(select distinct r.system from source_reference r
                             where r.canonical_id = v.id and r.object_type = 'VENDOR') as systems
                 from vendor v
                where v.legal_entity_id = k.le and not v.deleted_at_source and v.merged_into_id is null
                  and ((v.tax_id is not null and v.tax_id = k.tax) or (v.iban is not null and v.iban = k.iban)
                       or v.normalized_name % k.nname)
                order by (v.tax_id = k.tax or v.iban = k.iban) desc nulls last, similarity desc
                limit ${VENDOR_CANDIDATES}
             ) m`,
          [
            keys.map((k) => k.legalEntityId),
            keys.map((k) => k.taxId),
            keys.map((k) => k.iban),
            keys.map((k) => k.normalizedName),
          ],
        );
        const out = keys.map((): VendorMatch[] => []);
        for (const r of rows) {
          out[Number(r.n) - 1]!.push({ row: vendorRow(r), similarity: Number(r.similarity), systems: r.systems });
        }
        return out;
      },
      { ...options, cacheKeyFn: (k) => JSON.stringify([k.legalEntityId, k.taxId, k.iban, k.normalizedName]) },
    ),
    vendorDecisions: new DataLoader(async (keys) => {
      const parts = keys.map((k) => k.split('\u0000'));
      const { rows } = await db.query<{
        system: string;
        source_table: string;
        source_id: string;
        existing_vendor_id: string;
        decision: 'SAME' | 'DISTINCT';
      }>(
        `select d.source_system as system, d.source_table, d.source_id, d.existing_vendor_id, d.decision
           from vendor_match_decision d
           join unnest($1::text[], $2::text[], $3::text[]) as k(s, t, i)
             on d.source_system = k.s and d.source_table = k.t and d.source_id = k.i`,
        [parts.map((p) => p[0]), parts.map((p) => p[1]), parts.map((p) => p[2])],
      );
      const found = new Map<string, VendorMatchDecision[]>();
      for (const r of rows) {
        const key = sourceKey(r.system, r.source_table, r.source_id);
        found.set(key, [...(found.get(key) ?? []), { existingVendorId: r.existing_vendor_id, decision: r.decision }]);
      }
      return keys.map((k) => found.get(k) ?? []);
    }, options),
  };
}

function recordLoader(db: Db, sql: string): DataLoader<string, ExistingRecord | null> {
  return new DataLoader(
    async (ids) => {
      const { rows } = await db.query<{ id: string; status: string; name: string; legal_entity_id: string }>(sql, [
        ids,
      ]);
      const found = new Map(
        rows.map((r) => [r.id, { id: r.id, status: r.status, name: r.name, legalEntityId: r.legal_entity_id }]),
      );
      return ids.map((id) => found.get(id) ?? null);
    },
    { maxBatchSize: 5_000 },
  );
}

const VENDOR_COLUMNS = `select v.id, v.legal_entity_id, v.name, v.normalized_name, v.tax_id, v.iban, v.email, v.currency, v.country,
       v.status, v.correlation_id, v.source_updated_at, v.mapping_version, v.deleted_at_source, v.merged_into_id`;

interface VendorDbRow {
  id: string;
  legal_entity_id: string;
  name: string;
  normalized_name: string;
  tax_id: string | null;
  iban: string | null;
  email: string | null;
  currency: string | null;
  country: string | null;
  status: string;
  correlation_id: string;
  source_updated_at: Date | null;
  mapping_version: string | null;
  deleted_at_source: boolean;
  merged_into_id: string | null;
}

function vendorRow(r: VendorDbRow): VendorRow {
  return {
    id: r.id,
    legalEntityId: r.legal_entity_id,
    name: r.name,
    normalizedName: r.normalized_name,
    taxId: r.tax_id,
    iban: r.iban,
    email: r.email,
    currency: r.currency?.trim() ?? null,
    country: r.country,
    status: r.status,
    correlationId: r.correlation_id,
    sourceUpdatedAt: r.source_updated_at?.toISOString() ?? null,
    mappingVersion: r.mapping_version,
    deletedAtSource: r.deleted_at_source,
    mergedIntoId: r.merged_into_id,
  };
}
