import { randomUUID } from 'node:crypto';
import type { JournalEntryLineCandidate } from '../../../canonical-schema/model/candidates';
import type { Round } from '../Round';

/**
 * A journal line that arrives as its own row (an ERP move line): written under its journal entry, with its
 * account's code and the entry's currency. Returns null when the account or the entry's currency is unknown,
 * which the caller reports.
 */
export async function stageJournalLine(
  round: Round,
  line: JournalEntryLineCandidate,
  existingId: string | null,
): Promise<{ canonicalId: string } | { problem: string }> {
  const { uow, loaders } = round;
  const account = uow.accounts.get(line.accountId) ?? (await loaders.account.load(line.accountId));
  const entry =
    uow.journalEntries.get(line.journalEntryId)?.row ?? (await loaders.journalEntry.load(line.journalEntryId));
  if (!account) return { problem: `its account ${line.accountId} is not in the canonical chart` };
  if (!entry?.currency) return { problem: 'its journal entry has no currency' };
  const id = existingId ?? randomUUID();
  uow.journalLines.set(id, {
    id,
    journalEntryId: line.journalEntryId,
    lineNumber: line.lineNumber,
    accountId: line.accountId,
    accountCode: account.code,
    description: line.description,
    debit: line.debit,
    credit: line.credit,
    currency: entry.currency,
    dimensions: line.dimensions,
    secondCurrency: line.secondCurrency ?? null,
    amountSecondCurrency: line.amountSecondCurrency ?? null,
  });
  return { canonicalId: id };
}
