import { periodRange } from './periodRange';
import { buildListQuery, buildPartitionedListQuery, buildWhere } from './listQuery';
import { decodeCursor, encodeCursor } from './cursor';

describe('periodRange', () => {
  it('gives the first and last day of the month, leap years included', () => {
    expect(periodRange('2026-02', 'p')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodRange('2028-02', 'p')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(periodRange('2026-12', 'p')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
  it('names the argument and the expected form when the period is not YYYY-MM', () => {
    expect(() => periodRange('2026-13', 'filter.period')).toThrow(
      /filter.period: "2026-13" is not a period; write it as YYYY-MM/,
    );
  });
});

describe('keyset list queries', () => {
  it('numbers each condition once, reusing the number for every $? of a condition', () => {
    const w = buildWhere([
      { sql: 'a = $?', value: 1 },
      null,
      { sql: '(b = $? or c = $?)', value: 'x' },
      { sql: 'not d' },
    ]);
    expect(w).toEqual({ text: 'where a = $1 and (b = $2 or c = $2) and not d', values: [1, 'x'] });
  });
  it('continues after the cursor in the sort direction, asking one row more than the page', () => {
    const q = buildListQuery({
      select: 'i.id::text as id',
      from: 'invoice i',
      idExpr: 'i.id',
      where: [{ sql: 'i.status = $?', value: 'OPEN' }],
      sort: { expr: 'i.issue_date', type: 'date' },
      direction: 'DESC',
      first: 20,
      after: encodeCursor('2026-03-01', '00000000-0000-0000-0000-000000000001'),
    });
    expect(q.text).toMatch(/where i.status = \$1 and \(i.issue_date, i.id\) < \(\$2::date, \$3::uuid\)/);
    expect(q.text).toMatch(/order by i.issue_date DESC, i.id DESC\s+limit \$4/);
    expect(q.values).toEqual(['OPEN', '2026-03-01', '00000000-0000-0000-0000-000000000001', 21]);
  });
  it('refuses a cursor it did not issue, naming the argument', () => {
    expect(() => decodeCursor('bm90IGEgY3Vyc29y')).toThrow(
      /after: "bm90IGEgY3Vyc29y" is not a cursor returned by this API/,
    );
  });
  it("pages many parents' lists in one statement, first + 1 rows per parent", () => {
    const q = buildPartitionedListQuery({
      select: 'i.id::text as id',
      from: 'invoice i',
      idExpr: 'i.id',
      parentExpr: 'i.vendor_id',
      parentIds: ['a', 'b'],
      where: [{ sql: 'i.status = $?', value: 'OPEN' }],
      sort: { expr: 'i.number', type: 'text' },
      direction: 'ASC',
      first: 3,
    });
    expect(q.text).toMatch(/where i.status = \$1 and i.vendor_id = any\(\$2::uuid\[\]\)/);
    expect(q.text).toMatch(/row_number\(\) over \(partition by i.vendor_id order by i.number ASC, i.id ASC\)/);
    expect(q.text).toMatch(/where page_row <= \$3 order by parent_id, page_row/);
    expect(q.values).toEqual(['OPEN', ['a', 'b'], 4]);
  });
});
