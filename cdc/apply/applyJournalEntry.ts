import type { JournalEntryCandidate } from '../../canonical-schema/model/candidates';
import type { Db } from './Db';
import type { ReferenceCache } from './loadReferenceCache';
import type { SourceRow } from './SourceRow';

/** Inserts or updates a journal entry and replaces its lines. */
export async function applyJournalEntry(
  db: Db,
  row: SourceRow,
  j: JournalEntryCandidate,
  reference: ReferenceCache,
  existingId: string | null,
): Promise<{ canonicalId: string; oldStatus: string | null }> {
  const periodId = reference.period(j.legalEntityId, j.transactionDate)?.id ?? null;
  const values = [
    j.legalEntityId,
    j.journalType,
    j.number,
    j.transactionDate,
    periodId,
    j.memo,
    j.postingStatus,
    row.committedAt,
    row.mappingVersion,
  ];
  let canonicalId: string;
  let oldStatus: string | null = null;
  if (existingId) {
    const { rows } = await db.query<{ posting_status: string }>(
      `update journal_entry set legal_entity_id = $1, journal_type = $2, number = $3, transaction_date = $4, accounting_period_id = $5,
              memo = $6, posting_status = $7, source_updated_at = $8, mapping_version = $9, canonical_updated_at = now(),
              deleted_at_source = false, version = version + 1
        where id = $10
        returning (select posting_status from journal_entry where id = $10) as posting_status`,
      [...values, existingId],
    );
    canonicalId = existingId;
    oldStatus = rows[0]?.posting_status ?? null;
    await db.query(`delete from journal_line where journal_entry_id = $1`, [canonicalId]);
  } else {
    const { rows } = await db.query<{ id: string }>(
      `insert into journal_entry (legal_entity_id, journal_type, number, transaction_date, accounting_period_id, memo, posting_status,
                                  source_updated_at, mapping_version, correlation_id, source_document_type)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'PAYROLL_RUN') returning id`,
      [...values, row.correlationId],
    );
    canonicalId = rows[0]!.id;
  }
  for (const l of j.lines) {
    await db.query(
      `insert into journal_line (journal_entry_id, line_number, account_id, account_code, description, debit, credit, currency, dimensions)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        canonicalId,
        l.lineNumber,
        reference.account(j.legalEntityId, l.accountCode)?.id ?? null,
        l.accountCode,
        l.description,
        l.debit,
        l.credit,
        j.currency,
        JSON.stringify(l.dimensions),
      ],
    );
  }
  return { canonicalId, oldStatus };
}
