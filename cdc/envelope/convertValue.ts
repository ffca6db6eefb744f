import type { ConnectSchema } from './ConnectSchema';
import type { FieldValue } from './ChangeEvent';

/**
 * Converts one JSON payload value to finsync's decoded form, led by its Connect schema's logical type:
 * dates and times become ISO-8601 strings, decimals exact strings. Unknown logical types pass through.
 * Temporal types: https://debezium.io/documentation/reference/stable/connectors/postgresql.html#postgresql-temporal-types
 * Throws a `TypeError` naming the field when a value does not fit its schema (the decoder turns it into a
 * poison-message result).
 */
export function convertValue(schema: ConnectSchema, value: unknown, path: string): FieldValue {
  if (value === null || value === undefined) return null;
  const converter = schema.name ? LOGICAL_TYPES[schema.name] : undefined;
  if (converter) return converter(value, schema, path);
  switch (schema.type) {
    case 'struct':
      return convertStruct(schema, value, path);
    case 'array':
      if (!Array.isArray(value)) throw mismatch(path, 'an array', value);
      return value.map((item, i) =>
        schema.items ? convertValue(schema.items, item, `${path}[${i}]`) : plain(item, path),
      );
    case 'map':
      return plain(value, path);
    default:
      return plain(value, path);
  }
}

/** Converts a struct payload field by field, following the schema's field list. */
export function convertStruct(
  schema: ConnectSchema,
  value: unknown,
  path: string,
): { readonly [k: string]: FieldValue } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw mismatch(path, 'an object', value);
  const input = value as Record<string, unknown>;
  const out: Record<string, FieldValue> = {};
  for (const field of schema.fields ?? []) {
    const name = field.field ?? '';
    out[name] = convertValue(field, input[name], path ? `${path}.${name}` : name);
  }
  return out;
}

type Converter = (value: unknown, schema: ConnectSchema, path: string) => FieldValue;

const MS_PER_DAY = 86_400_000;

const LOGICAL_TYPES: Readonly<Record<string, Converter>> = {
  // DATE: days since the epoch.
  'io.debezium.time.Date': (v, _s, p) => isoDate(int(v, p) * MS_PER_DAY),
  'org.apache.kafka.connect.data.Date': (v, _s, p) => isoDate(int(v, p) * MS_PER_DAY),
  // TIMESTAMP without time zone: the wall-clock value counted from the epoch, so no zone suffix.
  'io.debezium.time.Timestamp': (v, _s, p) => localTimestamp(BigInt(int(v, p)) * 1_000_000n),
  'org.apache.kafka.connect.data.Timestamp': (v, _s, p) => localTimestamp(BigInt(int(v, p)) * 1_000_000n),
  'io.debezium.time.MicroTimestamp': (v, _s, p) => localTimestamp(BigInt(int(v, p)) * 1_000n),
  'io.debezium.time.NanoTimestamp': (v, _s, p) => localTimestamp(BigInt(int(v, p))),
  // TIME: counted from midnight.
  'io.debezium.time.Time': (v, _s, p) => timeOfDay(BigInt(int(v, p)) * 1_000_000n),
  'org.apache.kafka.connect.data.Time': (v, _s, p) => timeOfDay(BigInt(int(v, p)) * 1_000_000n),
  'io.debezium.time.MicroTime': (v, _s, p) => timeOfDay(BigInt(int(v, p)) * 1_000n),
  'io.debezium.time.NanoTime': (v, _s, p) => timeOfDay(BigInt(int(v, p))),
  // TIMESTAMPTZ / TIMETZ arrive as ISO strings already (UTC).
  'io.debezium.time.ZonedTimestamp': (v, _s, p) => str(v, p),
  'io.debezium.time.ZonedTime': (v, _s, p) => str(v, p),
  // DECIMAL with decimal.handling.mode=precise: base64 big-endian two's complement unscaled value.
  'org.apache.kafka.connect.data.Decimal': (v, s, p) => decimalFromBytes(str(v, p), Number(s.parameters?.scale ?? 0)),
  'io.debezium.data.VariableScaleDecimal': (v, _s, p) => {
    if (typeof v !== 'object' || v === null) throw mismatch(p, 'a {scale, value} object', v);
    const { scale, value } = v as { scale?: unknown; value?: unknown };
    return decimalFromBytes(str(value, `${p}.value`), int(scale, `${p}.scale`));
  },
};

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `YYYY-MM-DDTHH:MM:SS.ffffff` from nanoseconds since the epoch, keeping microseconds. */
function localTimestamp(nanos: bigint): string {
  const ms = nanos / 1_000_000n - (nanos % 1_000_000n < 0n ? 1n : 0n);
  const subMsNanos = nanos - ms * 1_000_000n;
  const iso = new Date(Number(ms)).toISOString(); // 2026-11-02T10:00:00.123Z
  const micros = String(Number(subMsNanos / 1_000n)).padStart(3, '0');
  return `${iso.slice(0, 23)}${micros}`;
}

function timeOfDay(nanos: bigint): string {
  const totalMicros = nanos / 1_000n;
  const secs = totalMicros / 1_000_000n;
  const micros = totalMicros % 1_000_000n;
  const hh = String(secs / 3600n).padStart(2, '0');
  const mm = String((secs / 60n) % 60n).padStart(2, '0');
  const ss = String(secs % 60n).padStart(2, '0');
  return `${hh}:${mm}:${ss}.${String(micros).padStart(6, '0')}`;
}

/** An exact decimal string from a base64 two's-complement big-endian integer and a scale. */
export function decimalFromBytes(base64: string, scale: number): string {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length === 0) return '0';
  let unscaled = BigInt(`0x${bytes.toString('hex')}`);
  if (bytes[0]! & 0x80) unscaled -= 1n << BigInt(bytes.length * 8);
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = scale > 0 ? digits.slice(0, -scale) : digits;
  const fraction = scale > 0 ? `.${digits.slice(-scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

function int(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw mismatch(path, 'an integer', v);
  return v;
}

function str(v: unknown, path: string): string {
  if (typeof v !== 'string') throw mismatch(path, 'a string', v);
  return v;
}

function plain(v: unknown, path: string): FieldValue {
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((item, i) => plain(item, `${path}[${i}]`));
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, plain(item, `${path}.${k}`)]));
  }
  if (v === null) return null;
  throw mismatch(path, 'a JSON value', v);
}

function mismatch(path: string, expected: string, got: unknown): TypeError {
  return new TypeError(`field "${path}" should be ${expected}, got ${JSON.stringify(got)}`);
}
