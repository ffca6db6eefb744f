import type { Check } from './Check';
import { accountLines } from './lineLabel';

/** Every line's account exists in the entity's chart, is active and accepts postings. */
export const accountsActive: Check = async (subject, { reference }) =>
  accountLines(subject).flatMap((line) => {
    if (!line.accountCode) return [];
    const account = reference.account(line.legalEntityId, line.accountCode);
    const problem = !account
      ? 'does not exist'
      : account.status !== 'ACTIVE'
        ? 'is inactive'
        : !account.allowsPosting
          ? 'does not accept postings'
          : null;
    return problem
      ? [
          {
            field: line.field,
            params: { line: line.label, account: line.accountCode, problem, legalEntity: line.legalEntityId },
          },
        ]
      : [];
  });
