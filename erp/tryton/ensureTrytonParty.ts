import type { ErpParty } from '../connector/ErpConnector';
import type { TrytonClient } from './TrytonClient';
import type { TrytonLookups } from './TrytonLookups';

/**
 * The Tryton party holding this tax identifier, created (with the identifier and one address, which invoices
 * need) when there is none. Found by identifier first, so running it again creates nothing.
 */
export async function ensureTrytonParty(
  client: TrytonClient,
  lookups: TrytonLookups,
  party: { readonly name: string; readonly taxId: string },
): Promise<ErpParty & { readonly addressId: number | null; readonly created: boolean }> {
  const found = await lookups.party(party.taxId);
  if (found) return { ...found, created: false };
  await client.read('model.party.party.create', [
    [{ name: party.name, identifiers: [['create', [{ code: party.taxId }]]], addresses: [['create', [{}]]] }],
  ]);
  lookups.forgetParty(party.taxId);
  const created = await lookups.party(party.taxId);
  if (!created) throw new Error(`tryton: party ${party.name} (${party.taxId}) not found right after creating it`);
  return { ...created, created: true };
}
