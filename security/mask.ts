/** A tax id, IBAN or bank account for a reader who may not see it: only its last 4 characters. */
export function mask(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const keep = value.slice(-4);
  return `${'•'.repeat(Math.max(value.length - 4, 4))}${keep}`;
}
