import { money } from './money';

describe('money', () => {
  it('keeps the exact decimal, at least two places, trimmed currency', () => {
    expect(money('1234.5000', 'EUR')).toEqual({ amount: '1234.50', currency: 'EUR' });
    expect(money('0.1250', 'USD ')).toEqual({ amount: '0.125', currency: 'USD' });
    expect(money('90071992547409.9100', 'GBP')).toEqual({ amount: '90071992547409.91', currency: 'GBP' });
    expect(money(null, 'EUR')).toEqual({ amount: '0.00', currency: 'EUR' });
    // The widest the store holds (NUMERIC(38,4)): digits, never an exponent, nothing rounded.
    expect(money('9999999999999999999999999999999999.9999', 'EUR').amount).toBe(
      '9999999999999999999999999999999999.9999',
    );
    expect(money('100000000000000000000000.0000', 'EUR').amount).toBe('100000000000000000000000.00');
  });
});
