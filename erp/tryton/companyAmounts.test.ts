import { Decimal } from '../../canonical-schema/money/Decimal';
import { companyLines, exchangeRateOf, toCompanyAmount } from './companyAmounts';

// FS-EU (EUR, rate 1) and a GBP document: 1 EUR buys 0.8655 GBP.
const GBP_IN_EUR = { document: '0.8655', company: '1' };

describe('company-currency amounts of a foreign-currency document', () => {
  it('converts as Tryton does: amount × company rate ÷ document rate, rounded half to even', () => {
    expect(toCompanyAmount('1000.00', GBP_IN_EUR)).toBe('1155.40');
    // 0.005 exactly: half to even (Python's default), not half up.
    expect(toCompanyAmount('0.125', { document: '1', company: '1' })).toBe('0.12');
    expect(toCompanyAmount('0.135', { document: '1', company: '1' })).toBe('0.14');
    expect(exchangeRateOf({ document: '0.8', company: '1.2' })).toBe('1.5');
  });

  it('balances the converted lines, the rounding cent going to the largest line of the short side', () => {
    const lines = companyLines(
      [
        { debit: '100.00', credit: '0' },
        { debit: '0', credit: '33.33' },
        { debit: '0', credit: '33.33' },
        { debit: '0', credit: '33.34' },
      ],
      GBP_IN_EUR,
    );
    const sum = (k: 'debit' | 'credit') => lines.reduce((s, l) => s.plus(l[k]), new Decimal(0)).toFixed(2);
    expect(sum('debit')).toBe(sum('credit'));
    expect(lines.map((l) => l.amountSecondCurrency)).toEqual(['100.00', '-33.33', '-33.33', '-33.34']);
    // 100 GBP = 115.54 EUR; 33.33 → 38.51 twice, 33.34 → 38.52: 115.54, so nothing to move here …
    expect(lines.map((l) => [l.debit, l.credit])).toEqual([
      ['115.54', '0.00'],
      ['0.00', '38.51'],
      ['0.00', '38.51'],
      ['0.00', '38.52'],
    ]);
    // … but at 1.5: 33.33 → 49.995 → 50.00 (half to even) twice and 33.34 → 50.01 credit 150.01 against a debit of
    // 150.00; the short side is the debit, which takes the cent.
    const thirds = companyLines(
      [
        { debit: '100.00', credit: '0' },
        { debit: '0', credit: '33.33' },
        { debit: '0', credit: '33.33' },
        { debit: '0', credit: '33.34' },
      ],
      { document: '2', company: '3' },
    );
    expect(thirds.map((l) => [l.debit, l.credit])).toEqual([
      ['150.01', '0.00'],
      ['0.00', '50.00'],
      ['0.00', '50.00'],
      ['0.00', '50.01'],
    ]);
  });
});
