import { Decimal, moneyText } from '../../canonical-schema/money/Decimal';

/** What was posted: the journal's date, currency and, per account code, its debits and credits. */
export interface PostedJournal {
  readonly legalEntityId: string;
  readonly transactionDate: string;
  /** The journal's currency; absent in postings made before it was recorded (the company's, then). */
  readonly currency?: string;
  readonly lines: ReadonlyArray<{ readonly accountCode: string; readonly debit: string; readonly credit: string }>;
}

/** What the ERP holds, as its move came back through CDC into the canonical model. */
export interface ErpJournal {
  readonly legalEntityId: string;
  readonly transactionDate: string;
  readonly postingStatus: string;
  /** Debit and credit in the company's currency; a foreign-currency line's own amount as its second currency. */
  readonly lines: ReadonlyArray<{
    readonly accountCode: string;
    readonly debit: string;
    readonly credit: string;
    readonly secondCurrency?: string | null;
    readonly amountSecondCurrency?: string | null;
  }>;
}

/**
 * The ERP's lines in the posted journal's currency: a journal posted in a foreign currency is held by the ERP in the
 * company's, each line keeping the posted amount as its second currency (positive on a debit, negative on a credit).
 */
function inPostedCurrency(posted: PostedJournal, lines: ErpJournal['lines']): PostedJournal['lines'] {
  const foreign = posted.currency && lines.some((l) => l.secondCurrency === posted.currency);
  if (!foreign) return lines;
  return lines.map((l) => {
    const amount = new Decimal(l.secondCurrency === posted.currency ? (l.amountSecondCurrency ?? 0) : 0);
    return {
      accountCode: l.accountCode,
      debit: amount.isPositive() ? amount.toFixed() : '0',
      credit: amount.isNegative() ? amount.negated().toFixed() : '0',
    };
  });
}

export type Comparison =
  | { readonly status: 'PENDING'; readonly why: string }
  | { readonly status: 'CONFIRMED' }
  | { readonly status: 'MISMATCH'; readonly differences: readonly string[] };

/**
 * Compares a posted journal with the ERP's copy of it. Lines of one ERP move arrive as rows of their own: an
 * unbalanced or empty copy is still arriving (PENDING), not a mismatch. Amounts are compared per account, as
 * sums, so the ERP may split or merge lines on one account; in the posted journal's currency (a foreign-currency
 * journal's lines by their second currency).
 */
export function compareWithErp(posted: PostedJournal, erp: ErpJournal | null): Comparison {
  if (!erp) return { status: 'PENDING', why: "the ERP's move has not come back through CDC yet" };
  const sum = (lines: ErpJournal['lines'], side: 'debit' | 'credit') =>
    lines.reduce((s, l) => s.plus(l[side]), new Decimal(0));
  if (!erp.lines.length || !sum(erp.lines, 'debit').equals(sum(erp.lines, 'credit'))) {
    return { status: 'PENDING', why: "the ERP's move lines are still arriving" };
  }
  const differences: string[] = [];
  if (erp.postingStatus !== 'POSTED') differences.push(`the ERP's move is ${erp.postingStatus}, not posted`);
  if (erp.legalEntityId !== posted.legalEntityId)
    differences.push(`the ERP's move belongs to ${erp.legalEntityId}, the posting to ${posted.legalEntityId}`);
  if (erp.transactionDate !== posted.transactionDate)
    differences.push(`the ERP's move is dated ${erp.transactionDate}, the posting ${posted.transactionDate}`);
  const byAccount = (lines: PostedJournal['lines']) => {
    const m = new Map<string, { debit: Decimal; credit: Decimal }>();
    for (const l of lines) {
      const a = m.get(l.accountCode) ?? { debit: new Decimal(0), credit: new Decimal(0) };
      m.set(l.accountCode, { debit: a.debit.plus(l.debit), credit: a.credit.plus(l.credit) });
    }
    return m;
  };
  const want = byAccount(posted.lines);
  const have = byAccount(inPostedCurrency(posted, erp.lines));
  for (const code of [...new Set([...want.keys(), ...have.keys()])].sort()) {
    const w = want.get(code) ?? { debit: new Decimal(0), credit: new Decimal(0) };
    const h = have.get(code) ?? { debit: new Decimal(0), credit: new Decimal(0) };
    if (!w.debit.equals(h.debit) || !w.credit.equals(h.credit)) {
      differences.push(
        `account ${code}: posted debit ${moneyText(w.debit)} / credit ${moneyText(w.credit)}, the ERP holds debit ${moneyText(h.debit)} / credit ${moneyText(h.credit)}`,
      );
    }
  }
  return differences.length ? { status: 'MISMATCH', differences } : { status: 'CONFIRMED' };
}
