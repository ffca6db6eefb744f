import { moneyText } from '../../canonical-schema/money/Decimal';
import { GraphQLError } from 'graphql';

/** Money at the API: a decimal string and its ISO 4217 currency, never a float. */
export interface Money {
  readonly amount: string;
  readonly currency: string;
}

/**
 * Money from a NUMERIC read as text (pg returns NUMERIC as a string): normalised to at least two decimals,
 * trailing zeros of the fourth decimal place removed (`1234.5000` → `1234.50`).
 */
export function money(amount: string | null, currency: string): Money {
  return { amount: moneyText(amount ?? 0), currency: currency.trim() };
}

/** A decimal argument (amount filters): a decimal string, or a user error naming the argument. */
export function parseDecimalArg(value: string | null | undefined, argumentName: string): string | null {
  if (value === null || value === undefined) return null;
  if (!/^-?\d+(\.\d+)?$/.test(value.trim())) {
    throw new GraphQLError(`${argumentName}: "${value}" is not a decimal number such as 1250.00`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName },
    });
  }
  return value.trim();
}
