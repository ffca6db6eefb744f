/** A LIKE pattern matching values that start with `prefix` (its own % and _ escaped). */
export const likePrefix = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
