/** Legal-form words that do not tell two companies apart. */
const LEGAL_FORMS =
  /\b(gmbh|ag|kg|ohg|ltd|limited|llc|inc|incorporated|corp|corporation|co|company|plc|sa|sas|sarl|bv|nv|srl|spa|oy|ab|as)\b/g;

/**
 * The name duplicate detection compares: lower case, accents, punctuation and legal forms removed,
 * whitespace collapsed. "ACME Industrial Supplies, GmbH" → "acme industrial supplies".
 */
export function normalizeName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(LEGAL_FORMS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
