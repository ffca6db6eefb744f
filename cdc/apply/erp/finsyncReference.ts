const REFERENCE = /^finsync:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\s|$)/i;

/**
 * The posting id in finsync's reference on an ERP document (`finsync:<posting id>`, alone or followed by a space
 * and a memo), or null when the text carries none (a document entered in the ERP directly, or a reference that is
 * not a posting id).
 */
export function postingIdOf(reference: string | null): string | null {
  const m = reference ? REFERENCE.exec(reference.trim()) : null;
  return m ? m[1]!.toLowerCase() : null;
}
