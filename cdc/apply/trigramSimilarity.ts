/**
 * Trigram similarity as PostgreSQL's pg_trgm computes it (`similarity(a, b)`): each word (a run of letters
 * and digits, lower-cased) is padded with two spaces before and one after, cut into trigrams, and the
 * result is |shared trigrams| / |all distinct trigrams of both|. The pipeline uses it to compare vendors
 * that arrive in the same batch, which the database's `%` operator cannot see yet.
 * https://www.postgresql.org/docs/15/pgtrgm.html
 */
export function trigramSimilarity(a: string, b: string): number {
  const ta = trigrams(a);
  const tb = trigrams(b);
  if (ta.size === 0 || tb.size === 0) return 0;
  let shared = 0;
  for (const t of ta) if (tb.has(t)) shared++;
  return shared / (ta.size + tb.size - shared);
}

/** Trigram sets of recent names: a round compares each new vendor with every vendor it wrote before. */
const cache = new Map<string, Set<string>>();
const CACHE_SIZE = 10_000;

function trigrams(text: string): Set<string> {
  const known = cache.get(text);
  if (known) return known;
  const out = computeTrigrams(text);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text, out);
  return out;
}

function computeTrigrams(text: string): Set<string> {
  const out = new Set<string>();
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!word) continue;
    const padded = `  ${word} `;
    const chars = [...padded];
    for (let i = 0; i + 3 <= chars.length; i++) out.add(chars.slice(i, i + 3).join(''));
  }
  return out;
}
