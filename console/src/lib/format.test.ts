import { formatAge, formatAmount, formatMoney, formatTime } from './format';

describe('formatting for people', () => {
  it('groups thousands of a decimal string without ever making it a float', () => {
    expect(formatAmount('12500.00')).toBe('12,500.00');
    expect(formatAmount('-1234567.8901')).toBe('−1,234,567.8901');
    expect(formatAmount('90071992547409931.01')).toBe('90,071,992,547,409,931.01');
    expect(formatMoney({ amount: '0.10', currency: 'EUR' })).toBe('0.10 EUR');
  });

  it('says an age in the largest sensible unit', () => {
    expect(formatAge(42)).toBe('42 s');
    expect(formatAge(12 * 60 + 5)).toBe('12 min');
    expect(formatAge(5 * 3600 + 3 * 60)).toBe('5 h 03 min');
    expect(formatAge(3 * 86_400 + 4 * 3600)).toBe('3 d 4 h');
  });

  it('shows times in UTC to the second', () => {
    expect(formatTime('2026-12-07T23:41:14.855Z')).toBe('2026-12-07 23:41:14 UTC');
    expect(formatTime(null)).toBe('');
  });
});
