import type { ConnectSchema } from './ConnectSchema';
import type { ChangeEvent, ChangeOperation, ChangeSource, RowImage, SourcePosition } from './ChangeEvent';
import { convertStruct } from './convertValue';
import { readEnvelope } from './readEnvelope';

/** A message as it comes off the broker, before decoding. */
export interface RawMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/** Why a message could not be decoded: a poison message, to be dead-lettered with its raw payload. */
export interface DecodeFailure {
  readonly code: 'NOT_JSON' | 'NOT_AN_ENVELOPE' | 'UNKNOWN_OPERATION' | 'FIELD_MISMATCH';
  /** A sentence naming the topic, offset and what is wrong. */
  readonly message: string;
}

export type DecodeResult =
  { readonly ok: true; readonly event: ChangeEvent } | { readonly ok: false; readonly error: DecodeFailure };

const OPERATIONS: Readonly<Record<string, ChangeOperation>> = {
  r: 'read',
  c: 'create',
  u: 'update',
  d: 'delete',
  t: 'truncate',
};

/**
 * Decodes one Debezium message (JsonConverter with schemas) into a typed change event.
 * Expected failures come back as data (`ok: false`): a malformed message must not stop the stream.
 */
export function decodeMessage(message: RawMessage): DecodeResult {
  const at = `${message.topic}[${message.partition}]@${message.offset}`;
  try {
    const key = message.key ? decodeKey(parseJson(message.key, at, 'key'), at) : null;
    if (message.value === null || message.value.length === 0) {
      return {
        ok: true,
        event: { kind: 'tombstone', topic: message.topic, partition: message.partition, offset: message.offset, key },
      };
    }
    const envelope = parseJson(message.value, at, 'value', message.topic);
    const { schema, payload } = splitEnvelope(envelope, at);
    const op = OPERATIONS[String(payload.op)];
    if (!op) return failure('UNKNOWN_OPERATION', `${at}: unknown Debezium operation "${String(payload.op)}"`);
    const field = (name: string): ConnectSchema | undefined => schema.fields?.find((f) => f.field === name);
    const rowSchema = field('after') ?? field('before');
    const sourceSchema = field('source');
    if (!rowSchema || !sourceSchema)
      return failure('NOT_AN_ENVELOPE', `${at}: the schema has no before/after or source field`);
    const before = payload.before == null ? null : (convertStruct(rowSchema, payload.before, 'before') as RowImage);
    const after = payload.after == null ? null : (convertStruct(rowSchema, payload.after, 'after') as RowImage);
    const source = decodeSource(payload.source, at);
    return {
      ok: true,
      event: {
        kind: 'change',
        topic: message.topic,
        partition: message.partition,
        offset: message.offset,
        op,
        key,
        before,
        after,
        source,
      },
    };
  } catch (err) {
    if (err instanceof DecodeError) return failure(err.code, err.message);
    if (err instanceof TypeError) return failure('FIELD_MISMATCH', `${at}: ${err.message}`);
    throw err;
  }
}

class DecodeError extends Error {
  constructor(
    readonly code: DecodeFailure['code'],
    message: string,
  ) {
    super(message);
  }
}

function failure(code: DecodeFailure['code'], message: string): DecodeResult {
  return { ok: false, error: { code, message } };
}

function parseJson(bytes: Buffer, at: string, part: 'key' | 'value', topic?: string): unknown {
  try {
    return topic ? readEnvelope(topic, bytes) : JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new DecodeError('NOT_JSON', `${at}: the message ${part} is not JSON`);
  }
}

interface Envelope {
  readonly schema: ConnectSchema;
  readonly payload: Record<string, unknown>;
}

function splitEnvelope(json: unknown, at: string): Envelope {
  if (typeof json === 'object' && json !== null && 'schema' in json && 'payload' in json) {
    const { schema, payload } = json as { schema: unknown; payload: unknown };
    if (isObject(schema) && isObject(payload)) return { schema: schema as unknown as ConnectSchema, payload };
  }
  throw new DecodeError(
    'NOT_AN_ENVELOPE',
    `${at}: expected a Debezium envelope {schema, payload} (JsonConverter with schemas.enable=true)`,
  );
}

function decodeKey(json: unknown, at: string): RowImage | null {
  const { schema, payload } = splitEnvelope(json, at);
  return convertStruct(schema, payload, 'key') as RowImage;
}

function decodeSource(raw: unknown, at: string): ChangeSource {
  if (!isObject(raw)) throw new DecodeError('NOT_AN_ENVELOPE', `${at}: the envelope has no source block`);
  const s = raw;
  const connector = String(s.connector);
  const tsMs = typeof s.ts_ms === 'number' ? s.ts_ms : 0;
  return {
    connector,
    system: String(s.name),
    database: String(s.db),
    schema: typeof s.schema === 'string' ? s.schema : null,
    table: String(s.table),
    // Debezium marks snapshot events with true/first/last/…; "false" (or absent) means streaming.
    snapshot: s.snapshot !== undefined && s.snapshot !== null && s.snapshot !== 'false' && s.snapshot !== false,
    committedAt: new Date(tsMs).toISOString(),
    position: connector === 'postgresql' ? walPosition(s, at) : binlogPosition(s, at),
  };
}

function walPosition(s: Record<string, unknown>, at: string): SourcePosition {
  // source.sequence is a JSON string: ["<last commit LSN>", "<this change's LSN>"].
  let commitLsn: string | null = null;
  let changeLsn: string | null = s.lsn == null ? null : String(s.lsn);
  if (typeof s.sequence === 'string') {
    const seq: unknown = JSON.parse(s.sequence);
    if (Array.isArray(seq) && seq.length === 2) {
      commitLsn = seq[0] == null ? null : String(seq[0]);
      changeLsn = seq[1] == null ? changeLsn : String(seq[1]);
    }
  }
  if (changeLsn === null)
    throw new DecodeError('NOT_AN_ENVELOPE', `${at}: a Postgres event without source.lsn or source.sequence`);
  return { kind: 'wal', commitLsn, changeLsn, txId: typeof s.txId === 'number' ? s.txId : null };
}

function binlogPosition(s: Record<string, unknown>, at: string): SourcePosition {
  if (typeof s.file !== 'string' || typeof s.pos !== 'number') {
    throw new DecodeError('NOT_AN_ENVELOPE', `${at}: a binlog event without source.file and source.pos`);
  }
  return {
    kind: 'binlog',
    file: s.file,
    pos: s.pos,
    row: typeof s.row === 'number' ? s.row : 0,
    gtid: typeof s.gtid === 'string' ? s.gtid : null,
    serverId: typeof s.server_id === 'number' ? s.server_id : null,
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
