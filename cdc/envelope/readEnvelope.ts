/**
 * Reads a JsonConverter message `{"schema":S,"payload":P}` of one topic. Every message of a table repeats the
 * same schema text — most of its bytes: once a topic's schema text is known, a message that starts with exactly
 * those bytes is read by parsing only its payload, and the schema object is shared. Anything else (another
 * schema version, other formatting, not JSON) is parsed whole, as before; the result is what `JSON.parse` gives.
 */
const PREFIX = '{"schema":';
const BETWEEN = ',"payload":';
const CLOSE = 0x7d; // }
const known = new Map<string, { readonly head: Buffer; readonly schema: unknown }>();

export function readEnvelope(topic: string, bytes: Buffer): unknown {
  const cached = known.get(topic);
  const n = cached?.head.length ?? 0;
  if (cached && bytes.length > n && bytes[bytes.length - 1] === CLOSE && bytes.compare(cached.head, 0, n, 0, n) === 0) {
    return { schema: cached.schema, payload: JSON.parse(bytes.toString('utf8', n, bytes.length - 1)) as unknown };
  }
  const text = bytes.toString('utf8');
  const whole = JSON.parse(text) as unknown;
  remember(topic, text, whole);
  return whole;
}

/** Finds the schema's exact text in a message just parsed whole, and keeps it for the topic's next messages. */
function remember(topic: string, text: string, whole: unknown): void {
  if (!text.startsWith(PREFIX) || typeof whole !== 'object' || whole === null || !('schema' in whole)) return;
  const end = text.indexOf(BETWEEN, PREFIX.length);
  if (end < 0) return;
  const schemaText = text.slice(PREFIX.length, end);
  const schema = (whole as { schema: unknown }).schema;
  try {
    // The candidate is the schema's text only if it is a whole JSON value equal to the parsed schema.
    if (JSON.stringify(JSON.parse(schemaText)) !== JSON.stringify(schema)) return;
  } catch {
    return;
  }
  known.set(topic, { head: Buffer.from(`${PREFIX}${schemaText}${BETWEEN}`, 'utf8'), schema });
}
