import type { Check } from './Check';
import { accountLines } from './lineLabel';

const words = (type: string): string => type.toLowerCase().replace(/_/g, ' ');

/** Every dimension a line names exists for the entity and is active. */
export const dimensionsKnown: Check = async (subject, { reference }) =>
  accountLines(subject).flatMap((line) =>
    Object.entries(line.dimensions).flatMap(([type, code]) => {
      const dim = reference.dimension(line.legalEntityId, type, code);
      const problem = !dim ? 'is not a known dimension' : dim.status !== 'ACTIVE' ? 'is inactive' : null;
      return problem
        ? [
            {
              field: `${line.field}.dimensions.${type}`,
              params: {
                line: line.label,
                dimensionType: words(type),
                dimension: code,
                problem,
                legalEntity: line.legalEntityId,
              },
            },
          ]
        : [];
    }),
  );
