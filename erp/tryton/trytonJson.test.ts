import { trytonDate, trytonDecimal, trytonFloat, trytonReviver } from './trytonJson';

describe('Tryton JSON-RPC values', () => {
  it('encodes dates and decimals as Tryton expects them', () => {
    expect(trytonDate('2026-02-07')).toEqual({ __class__: 'date', year: 2026, month: 2, day: 7 });
    expect(trytonDecimal('1250.10')).toEqual({ __class__: 'Decimal', decimal: '1250.10' });
    expect(() => trytonDecimal('1e3')).toThrow('not a decimal string');
    expect(() => trytonDate('07/02/2026')).toThrow('not a YYYY-MM-DD date');
  });

  it('gives a float field only a quantity a float holds exactly', () => {
    expect(trytonFloat('2.5000')).toBe(2.5);
    expect(trytonFloat('0.1')).toBe(0.1);
    expect(trytonFloat('12345.6789')).toBe(12345.6789);
    // The largest source quantity (numeric(18,4)) is 1e14 as a float.
    expect(trytonFloat('99999999999999.9999')).toBeNull();
    expect(trytonFloat('9007199254740993')).toBeNull();
  });

  it('decodes tagged values into strings, never floats', () => {
    const text =
      '{"a":{"__class__":"Decimal","decimal":"0.10"},"d":{"__class__":"date","year":2026,"month":1,"day":5},' +
      '"t":{"__class__":"datetime","year":2026,"month":1,"day":5,"hour":9,"minute":3,"second":0},"n":[1,{"x":2}]}';
    expect(JSON.parse(text, trytonReviver)).toEqual({
      a: '0.10',
      d: '2026-01-05',
      t: '2026-01-05T09:03:00',
      n: [1, { x: 2 }],
    });
  });
});
