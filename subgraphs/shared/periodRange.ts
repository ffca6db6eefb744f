import { GraphQLError } from 'graphql';

/**
 * A monthly accounting period `YYYY-MM` as its first and last day. finsync's periods are calendar months
 * (the reference data's periods are monthly for every legal entity).
 */
export function periodRange(period: string, argumentName: string): { from: string; to: string } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period);
  if (!m) {
    throw new GraphQLError(`${argumentName}: "${period}" is not a period; write it as YYYY-MM, e.g. 2026-03`, {
      extensions: { code: 'BAD_USER_INPUT', argumentName },
    });
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${m[1]}-${m[2]}-01`, to: `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}` };
}
