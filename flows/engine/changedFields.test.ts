import { changedFields } from './changedFields';

describe('changedFields', () => {
  it('names each changed field with its value before and after, and nothing else', () => {
    expect(
      changedFields(
        { number: 'A-1', dueDate: '2026-12-20', totalAmount: '238.00', lines: 1 },
        { number: 'A-1', dueDate: '2027-01-15', totalAmount: '240.00', lines: 1 },
      ),
    ).toEqual(['dueDate: 2026-12-20 → 2027-01-15', 'totalAmount: 238.00 → 240.00']);
    expect(changedFields({ a: null }, { a: 'x' })).toEqual(['a: (none) → x']);
    expect(changedFields({ a: '1' }, { a: '1' })).toEqual([]);
  });
});
