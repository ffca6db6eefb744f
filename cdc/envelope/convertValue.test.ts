import { convertValue, decimalFromBytes } from './convertValue';

describe('convertValue', () => {
  it('turns Debezium temporal types into ISO strings without losing microseconds', () => {
    expect(convertValue({ type: 'int32', name: 'io.debezium.time.Date' }, 20759, 'd')).toBe('2026-11-02');
    expect(convertValue({ type: 'int32', name: 'io.debezium.time.Date' }, -1, 'd')).toBe('1969-12-31');
    expect(convertValue({ type: 'int64', name: 'io.debezium.time.MicroTimestamp' }, 1_795_651_244_326_622, 't')).toBe(
      '2026-11-26T00:00:44.326622',
    );
    expect(convertValue({ type: 'int64', name: 'io.debezium.time.Timestamp' }, 1_795_651_244_326, 't')).toBe(
      '2026-11-26T00:00:44.326000',
    );
    expect(convertValue({ type: 'int64', name: 'io.debezium.time.MicroTime' }, 45_296_000_001, 't')).toBe(
      '12:34:56.000001',
    );
    expect(convertValue({ type: 'string', name: 'io.debezium.time.ZonedTimestamp' }, '2026-11-03T09:00:00Z', 't')).toBe(
      '2026-11-03T09:00:00Z',
    );
  });

  it('keeps plain values and nulls as they are', () => {
    expect(convertValue({ type: 'string' }, '1234.50', 'amount')).toBe('1234.50');
    expect(convertValue({ type: 'int64' }, 7, 'id')).toBe(7);
    expect(convertValue({ type: 'string', optional: true }, null, 'x')).toBeNull();
  });
});

describe('decimalFromBytes (decimal.handling.mode=precise)', () => {
  it('reads the unscaled two’s-complement integer exactly', () => {
    // 123450 = 0x01E23A, scale 2 → 1234.50
    expect(decimalFromBytes(Buffer.from([0x01, 0xe2, 0x3a]).toString('base64'), 2)).toBe('1234.50');
    // -1 with scale 2 → -0.01
    expect(decimalFromBytes(Buffer.from([0xff]).toString('base64'), 2)).toBe('-0.01');
    // beyond 2^53 stays exact: 12345678901234567890 (scale 4)
    const big = 12345678901234567890n;
    const hex = big.toString(16).padStart(18, '0');
    expect(decimalFromBytes(Buffer.from(hex, 'hex').toString('base64'), 4)).toBe('1234567890123456.7890');
  });
});
