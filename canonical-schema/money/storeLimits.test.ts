import { beyondColumn, MONEY_COLUMN, QUANTITY_COLUMN } from './storeLimits';

describe('beyondColumn', () => {
  it('lets every amount a source column numeric(18,2) can hold in, at both ends', () => {
    expect(beyondColumn('9999999999999999.99', MONEY_COLUMN)).toBeNull();
    expect(beyondColumn('-9999999999999999.99', MONEY_COLUMN)).toBeNull();
    expect(beyondColumn('0.01', MONEY_COLUMN)).toBeNull();
    expect(beyondColumn('99999999999999.9999', QUANTITY_COLUMN)).toBeNull();
  });

  it('lets in the widest amount the store holds; leading and trailing zeros are no digits', () => {
    expect(beyondColumn(`${'9'.repeat(34)}.9999`, MONEY_COLUMN)).toBeNull();
    expect(beyondColumn(`000${'9'.repeat(34)}.99990000`, MONEY_COLUMN)).toBeNull();
  });

  it('names a digit too many before the point, and a decimal the store would round away', () => {
    expect(beyondColumn(`1${'0'.repeat(34)}.00`, MONEY_COLUMN)).toBe(
      "has 35 digits before the decimal point, and finsync's store holds at most 34 (NUMERIC(38,4))",
    );
    expect(beyondColumn('12.34567', MONEY_COLUMN)).toBe(
      "has 5 decimal places, and finsync's store keeps 4 (NUMERIC(38,4)) and never rounds an amount",
    );
    expect(beyondColumn('1.0000001', QUANTITY_COLUMN)).toMatch(/has 7 decimal places.*keeps 6 \(NUMERIC\(38,6\)\)/);
  });
});
