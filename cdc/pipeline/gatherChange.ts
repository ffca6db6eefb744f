import { sourceKey, type BatchLoaders } from '../apply/batchLoaders';
import { normalizeName } from '../apply/normalizeName';
import type { Round } from '../apply/Round';
import type { PlannedChange } from './planChange';

/**
 * Asks the round's loaders, ahead of the decisions, for everything a change will look up: its own source
 * reference and the existing record, the rows it references, its counterparty, parent invoice, invoices
 * with its number, vendors like it. Run for every change of a round at once, each loader answers all of
 * them with one query; `decideChange` then finds the answers cached. Anything missed here is simply
 * looked up when needed, so this is a prefetch, never a source of truth.
 */
export async function gatherChange(round: Round, plan: PlannedChange): Promise<void> {
  if (plan.kind !== 'row') return;
  const { loaders } = round;
  const { rule, row, mapped } = plan;
  const own = loaders.sourceRef.load(sourceKey(row.system, row.table, row.sourceId)).then((ref) => {
    if (ref) return loadExisting(loaders, ref.objectType, ref.canonicalId);
    if (rule.target === 'VENDOR' && mapped?.ok) {
      const v = mapped.value;
      if (typeof v.legalEntityId === 'string' && typeof v.name === 'string') {
        return loaders.vendorMatches.load({
          legalEntityId: v.legalEntityId,
          taxId: typeof v.taxId === 'string' ? v.taxId : null,
          iban: typeof v.iban === 'string' ? v.iban : null,
          normalizedName: normalizeName(v.name),
        });
      }
    }
    return undefined;
  });
  // A vendor's row may carry a data steward's decision about a duplicate (read by stageVendor).
  const decisions =
    rule.target === 'VENDOR' && !rule.attachTo
      ? loaders.vendorDecisions.load(sourceKey(row.system, row.table, row.sourceId))
      : undefined;
  if (!mapped?.ok) {
    await Promise.all([own, decisions]);
    return;
  }
  const references = Object.entries(rule.references).map(async ([name, spec]) => {
    const refId = mapped.references[name];
    if (refId === null || refId === undefined) return;
    const ref = await loaders.sourceRef.load(sourceKey(spec.system, spec.table, refId));
    if (!ref) return;
    await loadExisting(loaders, ref.objectType, ref.canonicalId);
    const v = mapped.value;
    if (name === 'counterpartyId' && rule.target === 'INVOICE' && typeof v.number === 'string') {
      const issueDate = typeof v.issueDate === 'string' ? v.issueDate : '';
      const legalEntityId = typeof v.legalEntityId === 'string' ? v.legalEntityId : '';
      const fiscalYear = round.reference.period(legalEntityId, issueDate)?.fiscalYear ?? Number(issueDate.slice(0, 4));
      await loaders.invoicesNumbered.load({
        legalEntityId,
        counterpartyId: ref.canonicalId,
        fiscalYear,
        number: v.number,
      });
    }
  });
  await Promise.all([own, decisions, ...references]);
}

function loadExisting(loaders: BatchLoaders, objectType: string, id: string): Promise<unknown> {
  switch (objectType) {
    case 'VENDOR':
      return loaders.vendor.load(id);
    case 'CUSTOMER':
      return loaders.customer.load(id);
    case 'INVOICE':
      return loaders.invoice.load(id);
    case 'PAYMENT':
      return loaders.payment.load(id);
    case 'JOURNAL_ENTRY':
      return loaders.journalEntry.load(id);
    default:
      return Promise.resolve();
  }
}
