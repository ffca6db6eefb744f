/** The fields of a posted document's snapshot that differ now, as "field: was → now" (sorted by field). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const text = (v: unknown) =>
    v === undefined || v === null ? '(none)' : typeof v === 'string' ? v : JSON.stringify(v);
  return keys
    .filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null))
    .map((k) => `${k}: ${text(before[k])} → ${text(after[k])}`);
}
