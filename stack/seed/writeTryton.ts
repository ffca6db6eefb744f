/**
 * Writes the ERP's side of the master data into Tryton through finsync's own connector (JSON-RPC): one party per
 * procurement supplier, carrying the supplier's tax id as identifier, so that the vendor golden record can merge
 * the ERP party with the procurement supplier by tax id once Tryton's parties are captured (docs/tryton-source.md).
 * Idempotent: a tax id already held by a Tryton party is skipped (the planted duplicate vendor shares the tax id of
 * another supplier, so it adds nothing); suspended suppliers become inactive parties.
 */
import type { TrytonConnector } from '../../erp/tryton/trytonConnector';
import type { Dataset } from './model';
import type { Progress } from './progress';
import type { WriteResult } from './writePostgres';

const BATCH = 100;

export async function writeTryton(erp: TrytonConnector, data: Dataset, progress: Progress): Promise<WriteResult> {
  const suppliers = data.procurement.suppliers;
  const taxIds = [...new Set(suppliers.map((s) => s.tax_id))];
  const existing = await erp.client.read<Array<{ code: string; party: number }>>('model.party.identifier.search_read', [
    [['code', 'in', taxIds]],
    0,
    null,
    null,
    ['code', 'party'],
  ]);
  const ids = new Map<string, number>(existing.map((e) => [e.code, e.party]));
  const seen = new Set(ids.keys());
  const missing = suppliers.filter((s) => {
    if (seen.has(s.tax_id)) return false;
    seen.add(s.tax_id);
    return true;
  });
  progress.start('erp.party_party (Tryton, JSON-RPC)', suppliers.length);
  progress.advance(suppliers.length - missing.length);
  for (let i = 0; i < missing.length; i += BATCH) {
    const chunk = missing.slice(i, i + BATCH);
    const created = await erp.client.read<number[]>('model.party.party.create', [
      chunk.map((s) => ({
        name: s.legal_name,
        active: s.onboarding_status !== 'SUSPENDED',
        identifiers: [['create', [{ code: s.tax_id }]]],
        // Invoices need an invoice address.
        addresses: [['create', [{}]]],
      })),
    ]);
    chunk.forEach((s, k) => ids.set(s.tax_id, created[k]!));
    progress.advance(chunk.length);
  }
  progress.finish(missing.length, taxIds.length - missing.length);
  return {
    tables: { 'erp.party_party': { inserted: missing.length, existing: taxIds.length - missing.length } },
    ids: { party_party: new Map([...ids].map(([taxId, id]) => [taxId, id])) },
  };
}
