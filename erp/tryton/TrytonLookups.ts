import type { ErpAccount, ErpParty, ErpPeriod } from '../connector/ErpConnector';
import type { TrytonClient } from './TrytonClient';
import type { TrytonSettings } from './TrytonSettings';
import { trytonDate } from './trytonJson';

interface Cached<T> {
  readonly at: number;
  readonly value: Promise<T>;
}

const PERIOD_STATES: Record<string, ErpPeriod['state']> = { open: 'OPEN', close: 'CLOSED', locked: 'LOCKED' };

/**
 * Reads of Tryton's master data, cached for `lookupTtlMs` (periods, accounts, journals, taxes, currencies change
 * rarely; validating every posting must not cost a round trip per line). Parties are cached only once found.
 */
export class TrytonLookups {
  private readonly cache = new Map<string, Cached<unknown>>();

  constructor(
    private readonly client: TrytonClient,
    private readonly settings: TrytonSettings,
  ) {}

  /** The Tryton company of a legal entity; throws for an entity the settings do not map (a caller's bug). */
  company(legalEntityId: string): number {
    const id = this.settings.companies[legalEntityId];
    if (id === undefined) throw new Error(`tryton: legal entity ${legalEntityId} has no Tryton company configured`);
    return id;
  }

  period(legalEntityId: string, date: string): Promise<ErpPeriod | null> {
    const company = this.company(legalEntityId);
    return this.cached(`period/${company}/${date.slice(0, 7)}/${date}`, async () => {
      const rows = await this.client.read<Array<Record<string, string>>>(
        'model.account.period.search_read',
        [
          [
            ['company', '=', company],
            ['start_date', '<=', trytonDate(date)],
            ['end_date', '>=', trytonDate(date)],
            ['type', '=', 'standard'],
          ],
          0,
          1,
          null,
          ['name', 'state', 'start_date', 'end_date'],
        ],
        { company },
      );
      const r = rows[0];
      if (!r) return null;
      return {
        id: String(r.id),
        name: r.name ?? '',
        state: PERIOD_STATES[r.state ?? ''] ?? 'LOCKED',
        startDate: r.start_date ?? '',
        endDate: r.end_date ?? '',
      };
    });
  }

  /** Every account of the company with a code, by code. */
  accounts(legalEntityId: string): Promise<ReadonlyMap<string, ErpAccount>> {
    const company = this.company(legalEntityId);
    return this.cached(`accounts/${company}`, async () => {
      const rows = await this.client.read<Array<Record<string, unknown>>>(
        'model.account.account.search_read',
        [
          [
            ['company', '=', company],
            ['code', '!=', null],
          ],
          0,
          null,
          null,
          ['code', 'name', 'closed', 'party_required', 'type'],
        ],
        { company },
      );
      return new Map(
        rows.map((r) => [
          String(r.code),
          {
            id: String(r.id),
            code: String(r.code),
            name: String(r.name),
            closed: r.closed === true || r.type === null,
            partyRequired: r.party_required === true,
          },
        ]),
      );
    });
  }

  /** The id of the journal with this code. */
  journal(code: string): Promise<number | null> {
    return this.cached(`journal/${code}`, async () => {
      const ids = await this.client.read<number[]>('model.account.journal.search', [[['code', '=', code]], 0, 1, null]);
      return ids[0] ?? null;
    });
  }

  /** The id of the first journal of a type (`revenue`, `expense`: where Tryton posts invoices). */
  journalOfType(type: string): Promise<number | null> {
    return this.cached(`journal-type/${type}`, async () => {
      const ids = await this.client.read<number[]>('model.account.journal.search', [
        [['type', '=', type]],
        0,
        1,
        [['id', 'ASC']],
      ]);
      return ids[0] ?? null;
    });
  }

  /** Tax ids by name (finsync's tax code is the Tryton tax's name). */
  taxes(legalEntityId: string): Promise<ReadonlyMap<string, number>> {
    const company = this.company(legalEntityId);
    return this.cached(`taxes/${company}`, async () => {
      const rows = await this.client.read<Array<{ id: number; name: string }>>(
        'model.account.tax.search_read',
        [[['company', '=', company]], 0, null, null, ['name']],
        { company },
      );
      return new Map(rows.map((r) => [r.name, r.id]));
    });
  }

  currencyId(code: string): Promise<number | null> {
    return this.cached(`currency/${code}`, async () => {
      const ids = await this.client.read<number[]>('model.currency.currency.search', [
        [['code', '=', code]],
        0,
        1,
        null,
      ]);
      return ids[0] ?? null;
    });
  }

  companyCurrency(legalEntityId: string): Promise<string> {
    const company = this.company(legalEntityId);
    return this.cached(`company-currency/${company}`, async () => {
      const rows = await this.client.read<Array<{ 'currency.': { code: string } }>>('model.company.company.read', [
        [company],
        ['currency.code'],
      ]);
      const code = rows[0]?.['currency.']?.code;
      if (!code) throw new Error(`tryton: company ${company} has no currency`);
      return code;
    });
  }

  /**
   * Tryton's rate of a currency on a date (the rate in force then: units of the currency per unit of the base
   * currency, EUR), or null when Tryton has none that early. Tryton converts with these:
   * company amount = amount × company currency's rate ÷ document currency's rate.
   */
  rate(currencyCode: string, date: string): Promise<string | null> {
    return this.cached(`rate/${currencyCode}/${date}`, async () => {
      const id = await this.currencyId(currencyCode);
      if (id === null) return null;
      const rows = await this.client.read<Array<{ rate: string | null }>>(
        'model.currency.currency.read',
        [[id], ['rate']],
        { date: trytonDate(date) },
      );
      return rows[0]?.rate ?? null;
    });
  }

  /** The party holding the tax identifier (any identifier type), with its first address. */
  async party(taxId: string): Promise<(ErpParty & { readonly addressId: number | null }) | null> {
    const key = `party/${taxId}`;
    const hit = this.cache.get(key);
    if (hit) return hit.value as Promise<ErpParty & { addressId: number | null }>;
    const rows = await this.client.read<Array<{ id: number; name: string; active: boolean; addresses: number[] }>>(
      'model.party.party.search_read',
      [[['identifiers.code', '=', taxId]], 0, 1, [['id', 'ASC']], ['name', 'active', 'addresses']],
      { active_test: false },
    );
    const r = rows[0];
    if (!r) return null;
    const party = { id: String(r.id), name: r.name, active: r.active, addressId: r.addresses[0] ?? null };
    this.cache.set(key, { at: Date.now(), value: Promise.resolve(party) });
    return party;
  }

  /** Forgets a cached party (after creating one). */
  forgetParty(taxId: string): void {
    this.cache.delete(`party/${taxId}`);
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.settings.lookupTtlMs) return hit.value as Promise<T>;
    const value = load();
    this.cache.set(key, { at: Date.now(), value });
    // A failed lookup is not remembered.
    value.catch(() => this.cache.delete(key));
    return value;
  }
}
