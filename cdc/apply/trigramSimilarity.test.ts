import { trigramSimilarity } from './trigramSimilarity';

describe('trigramSimilarity (pg_trgm semantics)', () => {
  // Expected values are what PostgreSQL 15's pg_trgm returns for the same pairs (select similarity(a, b)).
  it.each([
    ['word', 'word', 1],
    ['word', 'two words', 0.363636],
    ['acme industrial supplies', 'acme industrial supply', 0.777778],
    ['northwind traders', 'contoso pharmaceuticals', 0],
    ['', 'anything', 0],
  ])('similarity(%p, %p) = %p', (a, b, expected) => {
    expect(trigramSimilarity(a, b)).toBeCloseTo(expected, 5);
  });
});
