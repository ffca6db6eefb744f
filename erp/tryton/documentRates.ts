import type { Rates } from './companyAmounts';
import type { TrytonLookups } from './TrytonLookups';

/**
 * Tryton's rates of a document currency and of the entity's company currency on the document's date, or null when
 * Tryton has no rate in force then for one of them (it would refuse to convert).
 */
export async function documentRates(
  lookups: TrytonLookups,
  legalEntityId: string,
  currency: string,
  date: string,
): Promise<Rates | null> {
  const [document, company] = await Promise.all([
    lookups.rate(currency, date),
    lookups.companyCurrency(legalEntityId).then((c) => lookups.rate(c, date)),
  ]);
  return document && company && Number(document) !== 0 ? { document, company } : null;
}
