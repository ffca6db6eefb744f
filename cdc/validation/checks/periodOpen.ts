import type { Check } from './Check';

/** The document's date falls in an accounting period of its entity, and that period is open. */
export const periodOpen: Check = async (subject, { reference }) => {
  const { legalEntityId, date, field } =
    subject.type === 'INVOICE'
      ? { legalEntityId: subject.candidate.legalEntityId, date: subject.candidate.issueDate, field: 'issueDate' }
      : subject.type === 'PAYMENT'
        ? { legalEntityId: subject.candidate.legalEntityId, date: subject.candidate.paymentDate, field: 'paymentDate' }
        : subject.type === 'JOURNAL_ENTRY'
          ? {
              legalEntityId: subject.candidate.legalEntityId,
              date: subject.candidate.transactionDate,
              field: 'transactionDate',
            }
          : { legalEntityId: '', date: '', field: '' };
  if (!field) return [];
  const period = reference.period(legalEntityId, date);
  if (period && period.status === 'OPEN') return [];
  return [
    {
      field,
      params: {
        document: subject.label,
        date,
        legalEntity: legalEntityId,
        period: period ? `${period.fiscalYear}-${String(period.periodNumber).padStart(2, '0')}` : date.slice(0, 7),
        problem: period ? 'is closed' : 'does not exist',
      },
    },
  ];
};
