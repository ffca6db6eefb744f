import type { Check } from './Check';
import { accountLines } from './lineLabel';

/** A line on an account that requires a dimension type carries one. */
export const mandatoryDimensions: Check = async (subject, { reference }) =>
  accountLines(subject).flatMap((line) => {
    const account = line.accountCode ? reference.account(line.legalEntityId, line.accountCode) : undefined;
    if (!account) return [];
    return account.requiredDimensions
      .filter((type) => !line.dimensions[type])
      .map((type) => ({
        field: `${line.field}.dimensions.${type}`,
        params: {
          line: line.label,
          account: line.accountCode ?? '',
          dimensionType: type.toLowerCase().replace(/_/g, ' '),
        },
      }));
  });
