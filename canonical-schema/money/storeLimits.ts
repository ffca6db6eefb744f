/**
 * What the canonical store can hold, exactly: the NUMERIC types of its amount columns (migration
 * 1796689000000_money-holds-every-source-amount.sql sets them; test/integration/canonicalSchema.test.ts checks the
 * database against these constants). An amount that does not fit is refused before it is written, never rounded:
 * PostgreSQL would round a fifth decimal away silently, and fail the whole statement on a digit too many.
 */

/** A NUMERIC(precision, scale) column: `precision` digits in all, `scale` of them after the decimal point. */
export interface NumericColumn {
  readonly precision: number;
  readonly scale: number;
}

/**
 * Every money column (invoice totals and balance, line unit price and amount, payments and allocations, journal
 * debits and credits, posting amounts): 34 digits before the point. A source amount has at most 16 (numeric(18,2)),
 * so even the sum of 10^18 maximal source amounts fits.
 */
export const MONEY_COLUMN: NumericColumn = { precision: 38, scale: 4 };

/** invoice_line.quantity: a source quantity has up to 14 digits before the point and 4 after (numeric(18,4)). */
export const QUANTITY_COLUMN: NumericColumn = { precision: 38, scale: 6 };

/** `NUMERIC(38,4)`, for messages and docs. */
export const sqlType = (c: NumericColumn): string => `NUMERIC(${c.precision},${c.scale})`;

/**
 * Why a decimal string cannot be stored exactly in the column, in words that complete "the amount X …"; null when
 * it can (or when it is not a plain decimal string at all: the canonical schema refuses those itself). Leading zeros
 * of the integer part and trailing zeros of the fraction are not digits the store has to keep.
 */
export function beyondColumn(value: string, column: NumericColumn): string | null {
  const m = /^[-+]?(\d+)(?:\.(\d*))?$/.exec(value.trim());
  if (!m) return null;
  const integerDigits = m[1]!.replace(/^0+/, '').length;
  const decimals = (m[2] ?? '').replace(/0+$/, '').length;
  const maxInteger = column.precision - column.scale;
  if (integerDigits > maxInteger) {
    return `has ${integerDigits} digits before the decimal point, and finsync's store holds at most ${maxInteger} (${sqlType(column)})`;
  }
  if (decimals > column.scale) {
    return `has ${decimals} decimal places, and finsync's store keeps ${column.scale} (${sqlType(column)}) and never rounds an amount`;
  }
  return null;
}
