import { bodyHash, canonicalJson } from './bodyHash';

describe('bodyHash', () => {
  it('does not depend on key order, at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(bodyHash({ a: 1, b: [1, 2] })).toBe(bodyHash({ b: [1, 2], a: 1 }));
  });

  it('differs when a value or the order of a list differs', () => {
    expect(bodyHash({ a: '100.00' })).not.toBe(bodyHash({ a: '100.01' }));
    expect(bodyHash({ lines: [1, 2] })).not.toBe(bodyHash({ lines: [2, 1] }));
  });
});
