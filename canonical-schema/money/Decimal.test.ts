import { Decimal, DECIMAL_PRECISION, moneyText } from './Decimal';
import { MONEY_COLUMN } from './storeLimits';

/** The largest amount a source column numeric(18,2) holds. */
const SOURCE_MAX = '9999999999999999.99';

describe('the configured Decimal', () => {
  it('adds a thousand maximal source amounts and a cent exactly', () => {
    const sum = Array.from({ length: 1000 }, () => SOURCE_MAX).reduce((s, a) => s.plus(a), new Decimal('0.01'));
    expect(sum.toFixed()).toBe('9999999999999999990.01');
    // What decimal.js does by default (20 significant digits): the cents are gone.
    const Default = Decimal.clone({ defaults: true });
    const rounded = Array.from({ length: 1000 }, () => SOURCE_MAX).reduce((s, a) => s.plus(a), new Default('0.01'));
    expect(rounded.toFixed()).not.toBe(sum.toFixed());
    expect(rounded.decimalPlaces()).toBe(0);
  });

  it('keeps sums of the widest amounts the store holds exact, and tells two of them apart', () => {
    const widest = '9'.repeat(MONEY_COLUMN.precision - MONEY_COLUMN.scale) + '.' + '9'.repeat(MONEY_COLUMN.scale);
    const many = Array.from({ length: 10_000 }, () => widest).reduce((s, a) => s.plus(a), new Decimal(0));
    expect(many.toFixed()).toBe('9'.repeat(38));
    // Debits and credits a cent apart at this size are not equal (balancing checks compare them so).
    const debits = new Decimal(widest).times(3).plus('0.0001');
    const credits = new Decimal(widest).times(3);
    expect(debits.equals(credits)).toBe(false);
    expect(debits.minus(credits).toFixed()).toBe('0.0001');
    // A quantity × a unit price of the widest kind is exact too (76 digits, under the precision).
    expect(new Decimal(widest).times(widest).precision(true)).toBeLessThanOrEqual(DECIMAL_PRECISION);
  });

  it('writes every amount as digits, never with an exponent', () => {
    const big = new Decimal(SOURCE_MAX).times('1e20');
    expect(big.toString()).toBe('999999999999999999000000000000000000');
    expect(`${new Decimal('0.00000001')}`).toBe('0.00000001');
  });
});

describe('moneyText', () => {
  it('shows at least two decimals and every further one, exactly', () => {
    expect(moneyText('1234.5')).toBe('1234.50');
    expect(moneyText('0.0001')).toBe('0.0001');
    expect(moneyText('9999999999999999.9900')).toBe('9999999999999999.99');
    expect(moneyText(new Decimal(SOURCE_MAX).times(150).plus('0.01'))).toBe('1499999999999999998.51');
  });
});
