import { Decimal } from '../../canonical-schema/money/Decimal';

/** Python's decimal context as Tryton computes with it: 28 significant digits, amounts rounded half to even. */
const PyDecimal = Decimal.clone({ precision: 28, rounding: Decimal.ROUND_HALF_EVEN });

/** Tryton's rates of the document currency and of the company currency, on the document's date. */
export interface Rates {
  readonly document: string;
  readonly company: string;
}

/** The company-currency amount of one document amount, as Tryton's `Currency.compute` gives it (to the cent). */
export function toCompanyAmount(amount: string, rates: Rates): string {
  return new PyDecimal(amount).times(rates.company).dividedBy(rates.document).toDecimalPlaces(2).toFixed(2);
}

/** company amount = amount × this (before rounding). */
export function exchangeRateOf(rates: Rates): string {
  return new PyDecimal(rates.company).dividedBy(rates.document).toString();
}

export interface CompanyLine {
  /** In the company currency. */
  readonly debit: string;
  readonly credit: string;
  /** In the document currency, signed as Tryton keeps it: positive on a debit line, negative on a credit line. */
  readonly amountSecondCurrency: string;
}

/**
 * A foreign-currency journal's lines in the company currency: each converted at the rate of the date, then the
 * cent or so that rounding leaves between debits and credits put on the largest line of the short side (a move must
 * balance in the company currency; the document-currency amounts stay as given). Lines hold a debit or a credit.
 */
export function companyLines(
  lines: ReadonlyArray<{ readonly debit: string; readonly credit: string }>,
  rates: Rates,
): CompanyLine[] {
  const out = lines.map((l) => {
    const debit = new Decimal(l.debit);
    const credit = new Decimal(l.credit);
    return {
      debit: new Decimal(toCompanyAmount(l.debit, rates)),
      credit: new Decimal(toCompanyAmount(l.credit, rates)),
      second: debit.minus(credit),
    };
  });
  const debits = out.reduce((s, l) => s.plus(l.debit), new Decimal(0));
  const credits = out.reduce((s, l) => s.plus(l.credit), new Decimal(0));
  const gap = debits.minus(credits);
  if (!gap.isZero()) {
    const side: 'debit' | 'credit' = gap.isNegative() ? 'debit' : 'credit';
    let largest = out[0]!;
    for (const l of out) if (l[side].greaterThan(largest[side])) largest = l;
    largest[side] = largest[side].plus(gap.abs());
  }
  return out.map((l) => ({
    debit: l.debit.toFixed(2),
    credit: l.credit.toFixed(2),
    amountSecondCurrency: l.second.toFixed(2),
  }));
}
