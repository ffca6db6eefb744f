import { createHash } from 'node:crypto';
import type { Pool } from 'pg';

/**
 * What a fingerprint covers: each canonical table with the key its rows are ordered and compared by. Every column
 * is in the row text (ids, amounts, status, version, canonical_updated_at, …). `parked_event` is compared on what
 * is waiting for what (its `parked_at` and worded `reason` are refreshed whenever the change is parked again).
 */
const TABLES: Readonly<Record<string, { readonly key: string; readonly row?: string }>> = {
  vendor: { key: 'id' },
  customer: { key: 'id' },
  invoice: { key: 'id' },
  invoice_line: { key: 'id' },
  payment: { key: 'id' },
  payment_allocation: { key: 'payment_id, invoice_id' },
  journal_entry: { key: 'id' },
  journal_line: { key: 'id' },
  exception: { key: 'id' },
  source_reference: { key: 'system, source_table, source_id' },
  parked_event: {
    key: 'source_system, source_table, source_id',
    row: 'row(id, prerequisite_type, prerequisite_key, correlation_id, source_system, source_table, source_id, event)',
  },
};

export interface TableFingerprint {
  readonly rows: number;
  /** md5 of the rows' text, one per line, in key order. */
  readonly md5: string;
}

export interface CanonicalFingerprint {
  readonly tables: Record<string, TableFingerprint>;
  /** Each row's text by table and key, to name what changed when two fingerprints differ. */
  readonly rows: Record<string, Map<string, string>>;
}

/** An ordered dump of the canonical tables, hashed per table. */
export async function canonicalFingerprint(pool: Pool): Promise<CanonicalFingerprint> {
  const tables: Record<string, TableFingerprint> = {};
  const rows: Record<string, Map<string, string>> = {};
  for (const [table, { key, row }] of Object.entries(TABLES)) {
    const result = await pool.query<{ key: string; text: string }>(
      `select row(${key})::text as key, ${row ?? 't'}::text as text from ${table} t order by ${key}`,
    );
    const hash = createHash('md5');
    for (const r of result.rows) hash.update(`${r.text}\n`);
    tables[table] = { rows: result.rows.length, md5: hash.digest('hex') };
    rows[table] = new Map(result.rows.map((r) => [r.key, r.text]));
  }
  return { tables, rows };
}

/** The rows that differ between two fingerprints (at most `limit`), as `table key: before → after`. */
export function fingerprintDiff(before: CanonicalFingerprint, after: CanonicalFingerprint, limit = 20): string[] {
  const out: string[] = [];
  for (const table of Object.keys(TABLES)) {
    const a = before.rows[table] ?? new Map<string, string>();
    const b = after.rows[table] ?? new Map<string, string>();
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(key);
      const y = b.get(key);
      if (x !== y) out.push(`${table} ${key}: ${x ?? '(none)'} → ${y ?? '(none)'}`);
    }
  }
  return out.length > limit ? [...out.slice(0, limit), `… and ${out.length - limit} more`] : out;
}
