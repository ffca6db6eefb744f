import { postingIdOf } from './finsyncReference';

describe("finsync's reference on an ERP document", () => {
  it('names the posting, alone or before a memo', () => {
    expect(postingIdOf('finsync:B08E84F6-7a26-411f-b7eb-51ddb0af053c')).toBe('b08e84f6-7a26-411f-b7eb-51ddb0af053c');
    expect(postingIdOf('finsync:b08e84f6-7a26-411f-b7eb-51ddb0af053c ACC-11 · accrual')).toBe(
      'b08e84f6-7a26-411f-b7eb-51ddb0af053c',
    );
  });

  it('is absent from documents entered in the ERP, and from references that are not a posting id', () => {
    expect(postingIdOf(null)).toBeNull();
    expect(postingIdOf('INV-2026-0042')).toBeNull();
    expect(postingIdOf('finsync:debug-1796689068611')).toBeNull();
    expect(postingIdOf('see finsync:b08e84f6-7a26-411f-b7eb-51ddb0af053c')).toBeNull();
  });
});
