import type { Check } from './Check';

/** The document's currency is one finsync knows (table currency). */
export const currencyKnown: Check = async (subject, { reference }) => {
  if (subject.type === 'INVOICE_LINE' || subject.type === 'JOURNAL_LINE') return [];
  const currency = subject.candidate.currency;
  return reference.currency(currency) ? [] : [{ field: 'currency', params: { document: subject.label, currency } }];
};
