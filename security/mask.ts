/** A tax id, IBAN or bank account for a reader who may not see it: only its last 4 characters. */
export function mask(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const keep = value.slice(-4);
  return `${'•'.repeat(Math.max(value.length - 4, 4))}${keep}`;
}

/** Keys under which a source row or a stored record holds a tax id, IBAN or bank account number. */
const SENSITIVE_KEY = /^(iban|tax_?id|vat_?(id|number)?|bank_?account(_?number)?|account_?number)$/i;
/** An IBAN anywhere in a text: two letters, two check digits, 11–30 letters and digits. */
const IBAN = /\b[A-Z]{2}\d{2}[A-Z0-9]{11,30}\b/g;

/** Every string held under a sensitive key anywhere in a record (a source event's `before`/`after` included). */
export function sensitiveValuesIn(record: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(record)) for (const item of record) sensitiveValuesIn(item, found);
  else if (record !== null && typeof record === 'object') {
    for (const [key, value] of Object.entries(record)) {
      if (typeof value === 'string' && SENSITIVE_KEY.test(key) && value.length >= 5) found.add(value);
      else sensitiveValuesIn(value, found);
    }
  }
  return found;
}

/**
 * A text that may quote sensitive values (an exception's message, a stored source event as JSON) for a reader
 * who may not see them: each known value, and anything shaped like an IBAN, shown as its last 4 characters.
 */
export function maskText(text: string | null | undefined, known: Iterable<string>): string | null {
  if (text === null || text === undefined) return null;
  let out = text;
  for (const value of [...known].sort((a, b) => b.length - a.length)) out = out.split(value).join(mask(value)!);
  return out.replace(IBAN, (m) => mask(m)!);
}
