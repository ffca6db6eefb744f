import type { ErpConnector, ErpDocument, ErpDocumentKind } from '../connector/ErpConnector';
import { TrytonClient, type TrytonClientOptions } from './TrytonClient';
import { TrytonLookups } from './TrytonLookups';
import type { TrytonSettings } from './TrytonSettings';
import {
  INVOICE_FIELDS,
  invoiceDocument,
  MOVE_FIELDS,
  moveDocument,
  type InvoiceRow,
  type MoveRow,
} from './trytonDocuments';
import { exchangeRateOf } from './companyAmounts';
import { documentRates } from './documentRates';
import { ensureTrytonVendorParty } from './ensureTrytonVendorParty';
import { postTrytonInvoice } from './postTrytonInvoice';
import { postTrytonJournal } from './postTrytonJournal';

/** A Tryton connector with its client and lookups exposed (the seed and the tests read Tryton through them). */
export interface TrytonConnector extends ErpConnector {
  readonly client: TrytonClient;
  readonly lookups: TrytonLookups;
}

/**
 * The ERP connector for Tryton 6.0 over JSON-RPC. finsync's reference (`finsync:<posting id>`) is the start of
 * a move's `description` (Tryton 6.0's `account.move` has no reference field; `origin` only points at Tryton
 * records) and an invoice's `reference`.
 */
export function trytonConnector(options: TrytonClientOptions, settings: TrytonSettings): TrytonConnector {
  const client = new TrytonClient(options);
  const lookups = new TrytonLookups(client, settings);

  async function findByReferences(
    kind: ErpDocumentKind,
    legalEntityId: string,
    references: readonly string[],
  ): Promise<ReadonlyMap<string, ErpDocument>> {
    const out = new Map<string, ErpDocument>();
    if (!references.length) return out;
    const company = lookups.company(legalEntityId);
    const found: ErpDocument[] = [];
    if (kind === 'JOURNAL') {
      // A move's description is the reference, or the reference, a space and the memo.
      const clauses = references.flatMap((r) => [
        ['description', '=', r],
        ['description', 'like', `${r} %`],
      ]);
      const rows = await client.read<MoveRow[]>(
        'model.account.move.search_read',
        [
          [
            ['company', '=', company],
            ['OR', ...clauses],
          ],
          0,
          null,
          [['id', 'ASC']],
          MOVE_FIELDS,
        ],
        { company },
      );
      for (const r of rows) {
        const reference = references.find((ref) => r.description === ref || r.description?.startsWith(`${ref} `));
        if (reference) found.push(moveDocument(r, reference));
      }
    } else {
      const rows = await client.read<InvoiceRow[]>(
        'model.account.invoice.search_read',
        [
          [
            ['company', '=', company],
            ['reference', 'in', [...references]],
          ],
          0,
          null,
          [['id', 'ASC']],
          INVOICE_FIELDS,
        ],
        { company },
      );
      for (const r of rows) if (r.reference) found.push(invoiceDocument(r, r.reference));
    }
    // More than one per reference would be a double posting made outside this connector; the posted one counts.
    for (const d of found) {
      const seen = out.get(d.reference);
      if (!seen || (seen.state !== 'POSTED' && d.state === 'POSTED')) out.set(d.reference, d);
    }
    return out;
  }

  return {
    system: 'tryton',
    client,
    lookups,
    async health() {
      const started = Date.now();
      try {
        const context = await client.context();
        const count = await client.read<number>('model.account.period.search_count', [[['state', '=', 'open']]]);
        return {
          ok: true,
          latencyMs: Date.now() - started,
          detail: `${options.url}: company ${String(context.company)}, ${count} open periods`,
        };
      } catch (err) {
        return { ok: false, latencyMs: Date.now() - started, detail: err instanceof Error ? err.message : String(err) };
      }
    },
    postJournal: (journal, resume) => postTrytonJournal(client, lookups, settings.journalCode, journal, resume ?? null),
    postInvoice: (invoice, resume) => postTrytonInvoice(client, lookups, invoice, resume ?? null),
    async findByReference(kind, legalEntityId, reference) {
      return (await findByReferences(kind, legalEntityId, [reference])).get(reference) ?? null;
    },
    findByReferences,
    findPeriod: (legalEntityId, date) => lookups.period(legalEntityId, date),
    async findAccounts(legalEntityId, codes) {
      const all = await lookups.accounts(legalEntityId);
      return new Map(codes.flatMap((c) => (all.has(c) ? [[c, all.get(c)!] as const] : [])));
    },
    async findParty(taxId) {
      const p = await lookups.party(taxId);
      return p ? { id: p.id, name: p.name, active: p.active } : null;
    },
    ensureVendorParty: (vendor) => ensureTrytonVendorParty(client, lookups, vendor),
    knowsLegalEntity: (legalEntityId) => settings.companies[legalEntityId] !== undefined,
    companyCurrency: (legalEntityId) => lookups.companyCurrency(legalEntityId),
    async exchangeRate(legalEntityId, currency, date) {
      const companyCurrency = await lookups.companyCurrency(legalEntityId);
      if (companyCurrency === currency) return (await lookups.currencyId(currency)) === null ? null : '1';
      const rates = await documentRates(lookups, legalEntityId, currency, date);
      return rates ? exchangeRateOf(rates) : null;
    },
  };
}
