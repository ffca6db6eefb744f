import type { Check } from './Check';

/** No second invoice with the same counterparty and number in one fiscal year. */
export const invoiceNumberUnique: Check = async (subject, context) => {
  if (subject.type !== 'INVOICE') return [];
  const c = subject.candidate;
  const period = context.reference.period(c.legalEntityId, c.issueDate);
  const fiscalYear = period?.fiscalYear ?? Number(c.issueDate.slice(0, 4));
  const other = await context.invoiceWithNumber({
    legalEntityId: c.legalEntityId,
    counterpartyId: c.counterpartyId,
    fiscalYear,
    number: c.number,
    excludeId: subject.canonicalId,
  });
  if (!other) return [];
  const counterparty = await context.counterparty(
    c.type === 'ACCOUNTS_PAYABLE' ? 'VENDOR' : 'CUSTOMER',
    c.counterpartyId,
  );
  return [
    {
      field: 'number',
      params: {
        document: subject.label,
        counterparty: counterparty?.name ?? c.counterpartyId,
        number: c.number,
        fiscalYear: String(fiscalYear),
        otherSourceId: other.sourceId,
      },
    },
  ];
};
