import { ErpUnavailableError } from '../../connector/ErpUnavailableError';
import type { ErpConnector } from '../../connector/ErpConnector';
import type { PostingUserError } from '../PostingUserError';
import { violation } from '../postingRules';

/** What the ERP checks look at, for a journal or an invoice. */
export interface ErpCheckSubject {
  /** "Journal ACC-11" / "Invoice PI-1004": used in messages. */
  readonly document: string;
  readonly legalEntityId: string;
  readonly date: string;
  readonly dateField: string;
  readonly currency: string;
  readonly lines: ReadonlyArray<{
    readonly label: string;
    readonly field: string;
    readonly accountCode: string;
    /** null = the line's party is not checked (invoice lines; Tryton sets the party itself). */
    readonly hasCounterparty: boolean | null;
  }>;
  /** Tax ids of the counterparties that must exist as ERP parties (journal lines), with their labels. */
  readonly parties: ReadonlyArray<{ readonly what: string; readonly field: string; readonly taxId: string }>;
  /** Fields the canonical rules already reported: not reported again from the ERP's side. */
  readonly alreadyReported: ReadonlySet<string>;
}

/**
 * The ERP's own state, before anything is sent: the entity is kept there, it can convert the document's currency
 * into the entity's (a rate in force on the document's date), the period is open
 * in the ERP, each account exists there, is not closed, and has a party exactly when the ERP requires one.
 * Returns `{ checked: false }` when the ERP does not answer: the posting is then accepted and queued, and the
 * ERP itself refuses what these checks would have caught (its message becomes the posting's userError).
 */
export async function checkErp(
  erp: ErpConnector,
  s: ErpCheckSubject,
): Promise<{ checked: boolean; userErrors: PostingUserError[] }> {
  const name = `the ERP (${erp.system})`;
  if (!erp.knowsLegalEntity(s.legalEntityId)) {
    return {
      checked: true,
      userErrors: [
        violation('ENTITY_IN_ERP', 'legalEntityId', {
          legalEntity: s.legalEntityId,
          erp: name,
          known: 'other entities',
        }),
      ],
    };
  }
  try {
    const out: PostingUserError[] = [];
    // A document in another currency posts at the rate of its date: the ERP must have one in force then.
    const companyCurrency = await erp.companyCurrency(s.legalEntityId);
    if (companyCurrency !== s.currency && (await erp.exchangeRate(s.legalEntityId, s.currency, s.date)) === null) {
      out.push(
        violation('CURRENCY_CONVERTIBLE_IN_ERP', 'currency', {
          document: s.document,
          currency: s.currency,
          erp: name,
          legalEntity: s.legalEntityId,
          companyCurrency,
          date: s.date,
        }),
      );
    }
    if (!s.alreadyReported.has(s.dateField)) {
      const period = await erp.findPeriod(s.legalEntityId, s.date);
      if (!period || period.state !== 'OPEN') {
        out.push(
          violation('PERIOD_OPEN_IN_ERP', s.dateField, {
            document: s.document,
            date: s.date,
            erp: name,
            period: period?.name ?? s.date.slice(0, 7),
            problem: !period ? 'does not exist' : period.state === 'CLOSED' ? 'is closed' : 'is locked',
          }),
        );
      }
    }
    const accounts = await erp.findAccounts(s.legalEntityId, [...new Set(s.lines.map((l) => l.accountCode))]);
    for (const line of s.lines) {
      const field = `${line.field}.accountCode`;
      if (s.alreadyReported.has(line.field) || s.alreadyReported.has(field)) continue;
      const account = accounts.get(line.accountCode);
      if (!account || account.closed) {
        out.push(
          violation('ACCOUNT_POSTABLE_IN_ERP', field, {
            line: line.label,
            account: line.accountCode,
            erp: name,
            problem: account ? 'is closed' : 'does not exist',
          }),
        );
        continue;
      }
      if (line.hasCounterparty === null) continue;
      if (account.partyRequired && !line.hasCounterparty) {
        out.push(
          violation('COUNTERPARTY_WHERE_REQUIRED', `${line.field}.counterparty`, {
            line: line.label,
            account: account.code,
            accountName: account.name,
            erp: name,
          }),
        );
      } else if (!account.partyRequired && line.hasCounterparty) {
        out.push(
          violation('COUNTERPARTY_ONLY_WHERE_REQUIRED', `${line.field}.counterparty`, {
            line: line.label,
            account: account.code,
            accountName: account.name,
            erp: name,
          }),
        );
      }
    }
    for (const party of s.parties) {
      if (!(await erp.findParty(party.taxId))) {
        out.push(
          violation('COUNTERPARTY_IN_ERP', party.field, {
            what: party.what,
            erp: name,
            problem: `no party there holds the tax id ${party.taxId}`,
          }),
        );
      }
    }
    return { checked: true, userErrors: out };
  } catch (err) {
    if (err instanceof ErpUnavailableError) return { checked: false, userErrors: [] };
    throw err;
  }
}
