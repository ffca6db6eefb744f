import type { Check } from './Check';

/** Invoices and payments only with active vendors or customers. (A vendor still PENDING onboarding is
 * not a violation: the pipeline parks the document until the vendor is approved.) */
export const counterpartyActive: Check = async (subject, context) => {
  if (subject.type !== 'INVOICE' && subject.type !== 'PAYMENT') return [];
  const type =
    subject.type === 'INVOICE'
      ? subject.candidate.type === 'ACCOUNTS_PAYABLE'
        ? 'VENDOR'
        : 'CUSTOMER'
      : subject.candidate.direction === 'OUTBOUND'
        ? 'VENDOR'
        : 'CUSTOMER';
  const counterparty = await context.counterparty(type, subject.candidate.counterpartyId);
  if (!counterparty || counterparty.status === 'ACTIVE' || counterparty.status === 'PENDING') return [];
  return [
    {
      field: 'counterpartyId',
      params: {
        document: subject.label,
        counterpartyType: type.toLowerCase(),
        counterparty: counterparty.name,
        status: counterparty.status,
      },
    },
  ];
};
