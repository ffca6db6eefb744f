/**
 * The one decimal.js constructor finsync computes money with. decimal.js's own default rounds every result to 20
 * significant digits: a source amount is up to 18 digits (numeric(18,2)) and the store keeps 38 (NUMERIC(38,4),
 * `storeLimits.ts`), so a few maximal amounts added up, or one at four decimals, would come back rounded — and two
 * different sums could compare equal. Nothing imports 'decimal.js' but this module (eslint `no-restricted-imports`).
 */
import DecimalJs from 'decimal.js';

/**
 * Significant digits a result keeps. A sum is exact when it has at most this many digits: amounts the store holds
 * have at most 38, so any sum of fewer than 10^62 of them is exact, and so is the product of two of them (76 digits,
 * a quantity × a unit price). Addition, subtraction and multiplication of exact decimals cost the digits they
 * have, not this bound.
 */
export const DECIMAL_PRECISION = 100;

export const Decimal = DecimalJs.clone({
  precision: DECIMAL_PRECISION,
  rounding: DecimalJs.ROUND_HALF_UP,
  // toString() never switches to exponential notation (decimal.js does from 1e21 on): amounts stay digit strings
  // wherever they are written into a message or a query.
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type Decimal = DecimalJs;

// decimal.js's own types under the configured constructor's name, so `Decimal.Value` reads as it does in its docs.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace Decimal {
  type Value = DecimalJs.Value;
}

/**
 * An exact decimal string for people and for GraphQL: at least two decimals, every further one it has
 * (`1234.5` → `1234.50`, `0.0001` → `0.0001`); never exponential, never rounded.
 */
export function moneyText(value: Decimal.Value): string {
  const d = new Decimal(value);
  return d.toFixed(Math.max(2, d.decimalPlaces()));
}
