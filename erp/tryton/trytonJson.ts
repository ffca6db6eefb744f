/**
 * Tryton's JSON-RPC value encoding (trytond/protocols/jsonrpc.py): dates, datetimes and decimals travel as
 * objects tagged with `__class__`. finsync keeps dates as `YYYY-MM-DD` strings and money as decimal strings, so
 * encoding wraps them explicitly and decoding turns the tagged objects back into strings — never a float.
 */
import { Decimal } from '../../canonical-schema/money/Decimal';

/** A date as Tryton's JSON-RPC expects it. */
export interface TrytonDate {
  readonly __class__: 'date';
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A decimal as Tryton's JSON-RPC expects it. */
export interface TrytonDecimal {
  readonly __class__: 'Decimal';
  readonly decimal: string;
}

/** `2026-11-15` → `{__class__: 'date', year: 2026, month: 11, day: 15}`. */
export function trytonDate(isoDate: string): TrytonDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${isoDate}`);
  return { __class__: 'date', year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** A decimal string, unchanged, tagged for Tryton. */
export function trytonDecimal(value: string): TrytonDecimal {
  if (!/^-?\d+(\.\d+)?$/.test(value)) throw new Error(`not a decimal string: ${value}`);
  return { __class__: 'Decimal', decimal: value };
}

/**
 * A quantity for one of Tryton's float fields (an invoice line's quantity is double precision in Tryton): the number,
 * when a float holds the decimal exactly as written (Tryton reads it back through its shortest repr); null when it
 * would change it (`99999999999999.9999` is `1e14` as a float).
 */
export function trytonFloat(value: string): number | null {
  const n = Number(value);
  return Number.isFinite(n) && new Decimal(n).equals(value) ? n : null;
}

const pad = (n: unknown, width = 2) => String(n).padStart(width, '0');

/** JSON.parse reviver: Tryton's tagged values become strings (date `YYYY-MM-DD`, Decimal its digits,
 * datetime `YYYY-MM-DDTHH:MM:SS`, bytes their base64). */
export function trytonReviver(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('__class__' in value)) return value;
  const v = value as Record<string, unknown>;
  switch (v.__class__) {
    case 'date':
      return `${pad(v.year, 4)}-${pad(v.month)}-${pad(v.day)}`;
    case 'datetime':
      return `${pad(v.year, 4)}-${pad(v.month)}-${pad(v.day)}T${pad(v.hour)}:${pad(v.minute)}:${pad(v.second)}`;
    case 'Decimal':
      return String(v.decimal);
    case 'bytes':
      return String(v.base64);
    default:
      return value;
  }
}
