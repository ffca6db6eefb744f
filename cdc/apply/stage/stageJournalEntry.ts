import { randomUUID } from 'node:crypto';
import type { JournalEntryCandidate } from '../../../canonical-schema/model/candidates';
import type { Round } from '../Round';
import type { SourceRow } from '../SourceRow';
import { UnitOfWork } from '../UnitOfWork';

/** Inserts or updates a journal entry with its lines in the round; returns its id and prior posting status. */
export async function stageJournalEntry(
  round: Round,
  row: SourceRow,
  j: JournalEntryCandidate,
  existingId: string | null,
): Promise<{ canonicalId: string; oldStatus: string | null }> {
  const { reference, uow } = round;
  const id = existingId ?? randomUUID();
  const stored = existingId ? await round.loaders.journalEntry.load(existingId) : null;
  const pending = uow.journalEntries.get(id);
  const oldStatus = existingId
    ? (pending?.row?.postingStatus ?? pending?.statusBefore ?? stored?.status ?? null)
    : null;
  UnitOfWork.touch(
    uow.journalEntries,
    id,
    {
      id,
      legalEntityId: j.legalEntityId,
      journalType: j.journalType,
      number: j.number,
      transactionDate: j.transactionDate,
      accountingPeriodId: reference.period(j.legalEntityId, j.transactionDate)?.id ?? null,
      memo: j.memo,
      postingStatus: j.postingStatus,
      sourceDocumentType: j.sourceDocumentType,
      currency: j.currency,
      lines:
        j.lines?.map((l) => ({
          lineNumber: l.lineNumber,
          accountId: reference.account(j.legalEntityId, l.accountCode)?.id ?? null,
          accountCode: l.accountCode,
          description: l.description,
          debit: l.debit,
          credit: l.credit,
          currency: j.currency,
          dimensions: l.dimensions,
        })) ?? null,
      correlationId: row.correlationId,
      sourceUpdatedAt: row.committedAt,
      mappingVersion: row.mappingVersion,
      deletedAtSource: false,
    },
    stored,
  );
  return { canonicalId: id, oldStatus };
}
