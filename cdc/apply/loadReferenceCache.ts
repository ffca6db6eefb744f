import type { AccountRef, PeriodRef, ReferenceData } from '../validation/ValidationContext';
import type { CodeTranslation, CodeTranslations } from '../mapping/CodeTranslations';
import type { Db } from '../../canonical-schema/Db';

/** Reference data held in memory: small tables read once per batch window instead of once per event. */
export interface ReferenceCache extends ReferenceData {
  taxCode(legalEntityId: string, code: string): { readonly id: string; readonly status: string } | undefined;
  readonly translations: CodeTranslations;
  readonly loadedAt: number;
}

interface PeriodRow extends PeriodRef {
  readonly legalEntityId: string;
  readonly startDate: string;
  readonly endDate: string;
}

/** Reads accounts, dimensions, periods, tax codes, currencies and code translations. */
export async function loadReferenceCache(db: Db): Promise<ReferenceCache> {
  // One client runs one query at a time: read the tables one after another.
  const accounts = await db.query<{
    legal_entity_id: string;
    code: string;
    id: string;
    status: string;
    allows_posting: boolean;
    required_dimensions: string[];
  }>(`select legal_entity_id, code, id, status, allows_posting, required_dimensions from account`);
  const dimensions = await db.query<{ legal_entity_id: string; type: string; code: string; status: string }>(
    `select legal_entity_id, type, code, status from dimension`,
  );
  const periods = await db.query<{
    id: string;
    legal_entity_id: string;
    fiscal_year: number;
    period_number: number;
    status: string;
    start_date: string;
    end_date: string;
  }>(
    `select id, legal_entity_id, fiscal_year, period_number, status, to_char(start_date, 'YYYY-MM-DD') as start_date,
              to_char(end_date, 'YYYY-MM-DD') as end_date from accounting_period`,
  );
  const taxCodes = await db.query<{ id: string; legal_entity_id: string; code: string; status: string }>(
    `select id, legal_entity_id, code, status from tax_code`,
  );
  const currencies = await db.query<{ code: string; minor_units: number }>(`select code, minor_units from currency`);
  const translations = await db.query<{
    domain: string;
    source_code: string;
    target_type: string;
    target_code: string;
    version: number;
  }>(`select domain, source_code, target_type, target_code, version from code_translation`);
  const accountMap = new Map<string, AccountRef>(
    accounts.rows.map((r) => [
      `${r.legal_entity_id}/${r.code}`,
      { id: r.id, status: r.status, allowsPosting: r.allows_posting, requiredDimensions: r.required_dimensions },
    ]),
  );
  const dimensionMap = new Map(
    dimensions.rows.map((r) => [`${r.legal_entity_id}/${r.type}/${r.code}`, { status: r.status }]),
  );
  const taxMap = new Map(taxCodes.rows.map((r) => [`${r.legal_entity_id}/${r.code}`, { id: r.id, status: r.status }]));
  const currencyMap = new Map(currencies.rows.map((r) => [r.code.trim(), { minorUnits: r.minor_units }]));
  const periodRows: PeriodRow[] = periods.rows.map((r) => ({
    id: r.id,
    legalEntityId: r.legal_entity_id,
    fiscalYear: r.fiscal_year,
    periodNumber: r.period_number,
    status: r.status,
    startDate: r.start_date,
    endDate: r.end_date,
  }));
  const translationMap = new Map<string, Map<string, CodeTranslation>>();
  for (const t of translations.rows) {
    const domain = translationMap.get(t.domain) ?? new Map<string, CodeTranslation>();
    domain.set(t.source_code, { targetType: t.target_type, targetCode: t.target_code, version: t.version });
    translationMap.set(t.domain, domain);
  }
  return {
    loadedAt: Date.now(),
    translations: translationMap,
    account: (le, code) => accountMap.get(`${le}/${code}`),
    dimension: (le, type, code) => dimensionMap.get(`${le}/${type}/${code}`),
    taxCode: (le, code) => taxMap.get(`${le}/${code}`),
    currency: (code) => currencyMap.get(code),
    // ISO dates compare correctly as strings.
    period: (le, date) => periodRows.find((p) => p.legalEntityId === le && p.startDate <= date && date <= p.endDate),
  };
}
