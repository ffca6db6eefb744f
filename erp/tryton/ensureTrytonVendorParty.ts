import type { ErpVendorParty, ErpVendorPartyOutcome } from '../connector/ErpConnector';
import type { TrytonClient } from './TrytonClient';
import type { TrytonLookups } from './TrytonLookups';

/**
 * A vendor's party in Tryton: the party holding its tax identifier (typed, so Tryton validates it with the same
 * python-stdnum rules finsync's checks use), with one address, and its bank account (Tryton's bank module:
 * `bank.account` owned by the party, with a `bank.account.number` of type iban). Every part is looked up before it
 * is created — the party by its identifier, the account by its compact IBAN, the bank by its party's name — so a run
 * after a crash half-way creates only what is missing, never anything twice.
 */
export async function ensureTrytonVendorParty(
  client: TrytonClient,
  lookups: TrytonLookups,
  vendor: ErpVendorParty,
): Promise<ErpVendorPartyOutcome> {
  lookups.forgetParty(vendor.taxId);
  let party = await lookups.party(vendor.taxId);
  let created = false;
  if (!party) {
    const reply = await client.call('model.party.party.create', [
      [
        {
          name: vendor.name,
          identifiers: [['create', [{ type: vendor.taxIdType, code: vendor.taxId }]]],
          addresses: [['create', [{}]]],
        },
      ],
    ]);
    if (!reply.ok) return { ok: false, refusal: `${reply.message} ${reply.description}`.trim() };
    lookups.forgetParty(vendor.taxId);
    party = await lookups.party(vendor.taxId);
    if (!party) throw new Error(`tryton: party ${vendor.name} (${vendor.taxId}) not found right after creating it`);
    created = true;
  }
  const partyId = Number(party.id);
  if (vendor.iban) {
    const refusal = await ensureBankAccount(client, partyId, vendor.iban, vendor.bankName);
    if (refusal) return { ok: false, refusal };
  }
  return { ok: true, party: { id: party.id, name: party.name, active: party.active }, created };
}

/** The party owns a bank account with this IBAN; a refusal (Tryton's message) or null. */
async function ensureBankAccount(
  client: TrytonClient,
  partyId: number,
  iban: string,
  bankName: string,
): Promise<string | null> {
  const numbers = await client.read<Array<{ id: number; account: number }>>(
    'model.bank.account.number.search_read',
    [
      [
        ['type', '=', 'iban'],
        ['number_compact', '=', iban],
      ],
      0,
      1,
      [['id', 'ASC']],
      ['account'],
    ],
    { active_test: false },
  );
  const existing = numbers[0];
  if (existing) {
    const [account] = await client.read<Array<{ owners: number[] }>>('model.bank.account.read', [
      [existing.account],
      ['owners'],
    ]);
    if (account && !account.owners.includes(partyId)) {
      const reply = await client.call('model.bank.account.write', [
        [existing.account],
        { owners: [['add', [partyId]]] },
      ]);
      if (!reply.ok) return `${reply.message} ${reply.description}`.trim();
    }
    return null;
  }
  const bank = await ensureBank(client, bankName);
  const reply = await client.call('model.bank.account.create', [
    [{ bank, owners: [['add', [partyId]]], numbers: [['create', [{ type: 'iban', number: iban }]]] }],
  ]);
  return reply.ok ? null : `${reply.message} ${reply.description}`.trim();
}

/** Tryton's bank record named so (a bank is a party of its own), created once. */
async function ensureBank(client: TrytonClient, name: string): Promise<number> {
  const find = () =>
    client.read<number[]>('model.bank.search', [[['party.name', '=', name]], 0, 1, [['id', 'ASC']]], {
      active_test: false,
    });
  const found = (await find())[0];
  if (found !== undefined) return found;
  const [partyId] = await client.read<number[]>('model.party.party.create', [[{ name }]]);
  const [bankId] = await client.read<number[]>('model.bank.create', [[{ party: partyId }]]);
  if (bankId === undefined) throw new Error(`tryton: bank ${name} was not created`);
  return bankId;
}
