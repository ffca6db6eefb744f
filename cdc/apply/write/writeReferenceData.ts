import type { AccountingPeriodRow, AccountRow } from '../CanonicalRows';
import type { Db } from '../../../canonical-schema/Db';
import { upsertRows, type Column } from './unnestRows';

const ACCOUNT_COLUMNS: readonly Column<AccountRow>[] = [
  { name: 'id', type: 'uuid', value: (a) => a.id, onConflict: 'keep' },
  { name: 'legal_entity_id', type: 'text', value: (a) => a.legalEntityId },
  { name: 'code', type: 'text', value: (a) => a.code },
  { name: 'name', type: 'text', value: (a) => a.name },
  { name: 'status', type: 'text', value: (a) => a.status },
  { name: 'correlation_id', type: 'uuid', value: (a) => a.correlationId, onConflict: 'keep' },
  { name: 'source_updated_at', type: 'timestamptz', value: (a) => a.sourceUpdatedAt },
  { name: 'mapping_version', type: 'text', value: (a) => a.mappingVersion },
];

const PERIOD_COLUMNS: readonly Column<AccountingPeriodRow>[] = [
  { name: 'id', type: 'uuid', value: (p) => p.id, onConflict: 'keep' },
  { name: 'legal_entity_id', type: 'text', value: (p) => p.legalEntityId },
  { name: 'fiscal_year', type: 'int', value: (p) => p.fiscalYear },
  { name: 'period_number', type: 'int', value: (p) => p.periodNumber },
  { name: 'start_date', type: 'date', value: (p) => p.startDate },
  { name: 'end_date', type: 'date', value: (p) => p.endDate },
  { name: 'status', type: 'text', value: (p) => p.status },
  { name: 'correlation_id', type: 'uuid', value: (p) => p.correlationId, onConflict: 'keep' },
  { name: 'source_updated_at', type: 'timestamptz', value: (p) => p.sourceUpdatedAt },
  { name: 'mapping_version', type: 'text', value: (p) => p.mappingVersion },
];

/**
 * Writes the chart of accounts and the periods as the ERP holds them, by their natural keys (an account's
 * entity and code, a period's entity, year and number): the ERP's rows land on the records finsync's
 * reference data created. An account whose type the ERP row does not give keeps its type.
 */
export async function writeReferenceData(
  db: Db,
  accounts: Iterable<AccountRow>,
  periods: Iterable<AccountingPeriodRow>,
): Promise<void> {
  const list = [...accounts];
  const typed = list.filter((a) => a.type !== null);
  const untyped = list.filter((a) => a.type === null);
  const bump = ['version = account.version + 1', 'canonical_updated_at = now()', 'deleted_at_source = false'];
  await upsertRows(db, 'account', [...ACCOUNT_COLUMNS, { name: 'type', type: 'text', value: (a) => a.type }], typed, {
    conflict: 'legal_entity_id, code',
    alsoSet: bump,
  });
  // Without a type only an update is possible: the type column is not null.
  if (untyped.length) {
    await db.query(
      `update account a set name = u.name, status = u.status, source_updated_at = u.at, mapping_version = u.mv,
              version = a.version + 1, canonical_updated_at = now(), deleted_at_source = false
         from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[]) as u(le, code, name, status, at, mv)
        where a.legal_entity_id = u.le and a.code = u.code`,
      [
        untyped.map((a) => a.legalEntityId),
        untyped.map((a) => a.code),
        untyped.map((a) => a.name),
        untyped.map((a) => a.status),
        untyped.map((a) => a.sourceUpdatedAt),
        untyped.map((a) => a.mappingVersion),
      ],
    );
  }
  await upsertRows(db, 'accounting_period', PERIOD_COLUMNS, [...periods], {
    conflict: 'legal_entity_id, fiscal_year, period_number',
    alsoSet: ['version = accounting_period.version + 1', 'canonical_updated_at = now()', 'deleted_at_source = false'],
  });
}
