/** Exact money arithmetic on decimal strings (decimal.js): no JavaScript float ever holds an amount. */
import { Decimal } from '../../canonical-schema/money/Decimal';

export { Decimal };

/** Rounds half up to `places` and prints exactly that many decimals: money(12.345) → "12.35". */
export function fixed(value: Decimal.Value, places = 2): string {
  return new Decimal(value).toDecimalPlaces(places, Decimal.ROUND_HALF_UP).toFixed(places);
}

/** Cents (an integer) as a decimal string: 123456 → "1234.56". */
export function cents(value: number): string {
  return new Decimal(value).dividedBy(100).toFixed(2);
}

/** The sum of decimal strings, printed with two decimals. */
export function sum(values: readonly Decimal.Value[]): string {
  return values.reduce<Decimal>((acc, v) => acc.plus(v), new Decimal(0)).toFixed(2);
}

/** quantity × unit price, rounded half up to the cent. */
export function lineAmount(quantity: Decimal.Value, unitPrice: Decimal.Value): string {
  return fixed(new Decimal(quantity).times(unitPrice));
}
