import type { Check } from './Check';

/** A line's tax code exists for the entity and is active. */
export const taxCodeValid: Check = async (subject, { reference }) => {
  if (subject.type !== 'INVOICE_LINE' || !subject.candidate.taxCode) return [];
  const code = subject.candidate.taxCode;
  const tax = reference.taxCode(subject.legalEntityId, code);
  const problem = !tax ? 'does not exist' : tax.status !== 'ACTIVE' ? 'is inactive' : null;
  return problem
    ? [
        {
          field: 'taxCode',
          params: { line: subject.label, taxCode: code, problem, legalEntity: subject.legalEntityId },
        },
      ]
    : [];
};
