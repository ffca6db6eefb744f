import { createHash } from 'node:crypto';

/**
 * The correlation id of a source row: a name-based UUID (RFC 4122 version 5 layout over SHA-1) of
 * `<system>/<table>/<source id>`, so every redelivery, replay and retry of the row carries the same id
 * without a lookup, and the id is known before the row is first applied (parked, rejected …).
 */
export function correlationIdFor(system: string, table: string, sourceId: string): string {
  const h = createHash('sha1').update(`finsync:${system}/${table}/${sourceId}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
