import type { ErpDocument, ErpJournal, ErpOutcome } from '../connector/ErpConnector';
import type { TrytonClient } from './TrytonClient';
import type { TrytonLookups } from './TrytonLookups';
import { companyLines, type CompanyLine } from './companyAmounts';
import { documentRates } from './documentRates';
import { trytonDate, trytonDecimal } from './trytonJson';
import { refusalOf } from './refusalOf';

/**
 * Posts a journal as a Tryton `account.move`: `create` (draft, in one transaction) then `post` (a second one,
 * which numbers it). The move's description starts with finsync's reference, which `findByReference` searches.
 * A draft left by an earlier attempt (`resume`) is posted instead of creating another move. The document returned
 * has no number yet (Tryton's post returns none; `findByReferences` reads it). When Tryton refuses
 * the post (unbalanced, closed period), the draft is deleted so that nothing of a refused journal stays in Tryton.
 * A journal in a foreign currency posts in the company currency at the rate of its date, each line keeping its own
 * amount as Tryton's second currency (`companyLines`).
 */
export async function postTrytonJournal(
  client: TrytonClient,
  lookups: TrytonLookups,
  journalCode: string,
  journal: ErpJournal,
  resume: ErpDocument | null,
): Promise<ErpOutcome> {
  if (resume?.state === 'POSTED') return { ok: true, document: resume, created: false };
  const company = lookups.company(journal.legalEntityId);
  let moveId: number;
  if (resume?.state === 'DRAFT') {
    moveId = Number(resume.id);
  } else {
    const prepared = await prepareMove(lookups, journalCode, journal);
    if (!prepared.ok) return prepared;
    const created = await client.call('model.account.move.create', [[prepared.values]], { company });
    if (!created.ok) return { ok: false, refusal: refusalOf(created) };
    moveId = (created.result as number[])[0]!;
  }
  const posted = await client.call('model.account.move.post', [[moveId]], { company });
  if (!posted.ok) {
    const deleted = await client.call('model.account.move.delete', [[moveId]], { company });
    if (!deleted.ok) throw new Error(`tryton: could not delete refused draft move ${moveId}: ${deleted.message}`);
    return { ok: false, refusal: refusalOf(posted) };
  }
  // Tryton's post returns nothing; the post number is read with the next lookup (the worker batches those).
  return {
    ok: true,
    document: {
      kind: 'JOURNAL',
      id: String(moveId),
      number: null,
      state: 'POSTED',
      reference: journal.reference,
      moveId: String(moveId),
      total: null,
    },
    created: true,
  };
}

async function prepareMove(
  lookups: TrytonLookups,
  journalCode: string,
  journal: ErpJournal,
): Promise<{ ok: true; values: Record<string, unknown> } | Extract<ErpOutcome, { ok: false }>> {
  const refuse = (message: string, field: string | null, code: 'ERP_REFUSED' | 'ERP_UNKNOWN_ACCOUNT' = 'ERP_REFUSED') =>
    ({ ok: false, refusal: { code, message, description: '', field } }) as const;
  const journalId = await lookups.journal(journalCode);
  if (journalId === null) return refuse(`Tryton has no journal with code ${journalCode}.`, null);
  const period = await lookups.period(journal.legalEntityId, journal.date);
  if (!period) return refuse(`Tryton has no accounting period for ${journal.date}.`, 'transactionDate');
  const accounts = await lookups.accounts(journal.legalEntityId);
  // A journal in another currency than the company's: each line in the company currency at the rate of the
  // journal's date, with its own amount as the line's second currency (Tryton's way of keeping both).
  const companyCurrency = await lookups.companyCurrency(journal.legalEntityId);
  let foreign: { readonly currencyId: number; readonly lines: readonly CompanyLine[] } | null = null;
  if (journal.currency !== companyCurrency) {
    const currencyId = await lookups.currencyId(journal.currency);
    const rates = await documentRates(lookups, journal.legalEntityId, journal.currency, journal.date);
    if (currencyId === null || !rates) {
      return refuse(
        `Tryton has no rate to convert ${journal.currency} into ${companyCurrency} on ${journal.date}.`,
        'currency',
      );
    }
    foreign = { currencyId, lines: companyLines(journal.lines, rates) };
  }
  const lines: Record<string, unknown>[] = [];
  for (const [i, line] of journal.lines.entries()) {
    const field = `lines[${i + 1}].accountCode`;
    const account = accounts.get(line.accountCode);
    if (!account) return refuse(`Tryton has no account ${line.accountCode}.`, field, 'ERP_UNKNOWN_ACCOUNT');
    let party: number | null = null;
    if (line.partyTaxId) {
      const found = await lookups.party(line.partyTaxId);
      if (!found)
        return refuse(`Tryton has no party with tax identifier ${line.partyTaxId}.`, `lines[${i + 1}].counterparty`);
      party = Number(found.id);
    }
    const converted = foreign?.lines[i];
    lines.push({
      account: Number(account.id),
      debit: trytonDecimal(converted?.debit ?? line.debit),
      credit: trytonDecimal(converted?.credit ?? line.credit),
      ...(converted
        ? {
            amount_second_currency: trytonDecimal(converted.amountSecondCurrency),
            second_currency: foreign!.currencyId,
          }
        : {}),
      description: line.description,
      ...(party !== null ? { party } : {}),
    });
  }
  return {
    ok: true,
    values: {
      company: lookups.company(journal.legalEntityId),
      journal: journalId,
      period: Number(period.id),
      date: trytonDate(journal.date),
      description: journal.description ? `${journal.reference} ${journal.description}` : journal.reference,
      lines: [['create', lines]],
    },
  };
}
