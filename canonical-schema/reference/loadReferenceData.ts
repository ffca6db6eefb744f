import type { Db } from '../Db';
import { reference, type Reference } from './reference';

/**
 * Loads the reference data (legal entities, currencies, chart of accounts, dimensions, tax codes, periods,
 * code translations) into the canonical tables. Idempotent upserts: run at every CDC start.
 * Until the ERP's own master data flows in through CDC, `canonical-schema/reference/reference.json` is the system of record
 * for these; the stand-in sources are generated against the same file.
 */
export async function loadReferenceData(db: Db, data: Reference = reference): Promise<void> {
  for (const le of data.legalEntities) {
    await db.query(
      `insert into legal_entity (id, name, country, base_currency) values ($1, $2, $3, $4)
       on conflict (id) do update set name = excluded.name, country = excluded.country, base_currency = excluded.base_currency`,
      [le.id, le.name, le.country, le.baseCurrency],
    );
  }
  for (const c of data.currencies) {
    await db.query(
      `insert into currency (code, name, minor_units) values ($1, $2, $3)
       on conflict (code) do update set name = excluded.name, minor_units = excluded.minor_units`,
      [c.code, c.name, c.minorUnits],
    );
  }
  // The rest only refers to legal entities and currencies: its upserts go out side by side (a pool runs them on
  // several connections; a restarted CDC process is ready sooner).
  const pending: Promise<unknown>[] = [];
  for (const a of data.accounts) {
    for (const le of a.legalEntities) {
      pending.push(
        db.query(
          `insert into account (legal_entity_id, code, name, type, status, allows_posting, required_dimensions, mapping_version)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (legal_entity_id, code) do update set name = excluded.name, type = excluded.type, status = excluded.status,
           allows_posting = excluded.allows_posting, required_dimensions = excluded.required_dimensions,
           mapping_version = excluded.mapping_version, canonical_updated_at = now()`,
          [le, a.code, a.name, a.type, a.status, a.allowsPosting, a.requiredDimensions, `reference@${data.version}`],
        ),
      );
    }
  }
  for (const d of data.dimensions) {
    for (const le of d.legalEntities) {
      pending.push(
        db.query(
          `insert into dimension (legal_entity_id, type, code, name, status) values ($1, $2, $3, $4, $5)
         on conflict (legal_entity_id, type, code) do update set name = excluded.name, status = excluded.status`,
          [le, d.type, d.code, d.name, d.status],
        ),
      );
    }
  }
  for (const t of data.taxCodes) {
    for (const le of t.legalEntities) {
      pending.push(
        db.query(
          `insert into tax_code (legal_entity_id, code, name, rate, status) values ($1, $2, $3, $4, $5)
         on conflict (legal_entity_id, code) do update set name = excluded.name, rate = excluded.rate, status = excluded.status`,
          [le, t.code, t.name, t.rate, t.status],
        ),
      );
    }
  }
  for (const p of data.accountingPeriods) {
    pending.push(
      db.query(
        `insert into accounting_period (legal_entity_id, fiscal_year, period_number, start_date, end_date, status, mapping_version)
       values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (legal_entity_id, fiscal_year, period_number) do update set start_date = excluded.start_date,
         end_date = excluded.end_date, status = excluded.status, mapping_version = excluded.mapping_version, canonical_updated_at = now()`,
        [p.legalEntityId, p.fiscalYear, p.periodNumber, p.startDate, p.endDate, p.status, `reference@${data.version}`],
      ),
    );
  }
  for (const t of data.codeTranslations) {
    pending.push(
      db.query(
        `insert into code_translation (domain, source_system, source_code, target_type, target_code, version)
       values ($1, $2, $3, $4, $5, $6)
       on conflict (domain, source_system, source_code) do update set target_type = excluded.target_type,
         target_code = excluded.target_code, version = excluded.version`,
        [t.domain, t.sourceSystem, t.sourceCode, t.targetType, t.targetCode, t.version],
      ),
    );
  }
  await Promise.all(pending);
}
