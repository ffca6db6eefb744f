import { FLOWS } from '../flows/flows';
import { compareRecords, type Explanations } from './compareRecords';
import { statusOf } from './RecordDifference';

const flow = FLOWS.find((f) => f.id === 'PROCUREMENT_SUPPLIER_INVOICES')!;
const src = (id: string, over: Record<string, unknown> = {}) => ({
  source_id: id,
  number: `PI-${id}`,
  currency: 'EUR',
  amount: '100.00',
  status: 'APPROVED',
  age_seconds: 3600,
  line_count: 2,
  line_total: '84.03',
  line_ids: `${id}1,${id}2`,
  ...over,
});
const can = (id: string, over: Record<string, unknown> = {}) => ({
  source_id: id,
  canonical_id: `c-${id}`,
  number: `PI-${id}`,
  currency: 'EUR',
  amount: '100.0000',
  status: 'OPEN',
  deleted: false,
  line_count: 2,
  line_total: '84.0300',
  ...over,
});
const none: Explanations = { exceptions: new Map(), parked: new Map(), graceSeconds: 120 };

describe('compareRecords', () => {
  it('finds nothing when every record agrees (decimals compared as numbers, settlement statuses allowed)', () => {
    const diffs = compareRecords(flow, [src('1'), src('2')], [can('1'), can('2', { status: 'PAID' })], none);
    expect(diffs).toEqual([]);
    expect(statusOf(diffs)).toBe('IN_SYNC');
  });

  it('names each difference with its reason, and the exception on a line that explains it', () => {
    const why: Explanations = {
      ...none,
      exceptions: new Map([
        [
          'public.supplier_invoice:3',
          [
            {
              id: 'e3',
              code: 'PERIOD_CLOSED',
              message: 'Invoice PI-3 is in a closed period.',
              source_table: 'public.supplier_invoice',
              source_id: '3',
            },
          ],
        ],
        [
          'public.supplier_invoice_line:42',
          [
            {
              id: 'e4',
              code: 'UNKNOWN_DIMENSION',
              message: 'Line 2 names CC-999.',
              source_table: 'public.supplier_invoice_line',
              source_id: '42',
            },
          ],
        ],
      ]),
    };
    const diffs = compareRecords(
      flow,
      [src('1', { amount: '100.01' }), src('2', { status: 'REJECTED' }), src('3'), src('4')],
      [can('1'), can('2'), can('4', { line_count: 1, line_total: '42.00' }), can('9')],
      why,
    );
    expect(diffs.map((d) => [d.sourceId, d.reason, d.status, d.exceptionId])).toEqual([
      ['1', 'AMOUNT_DIFFERS', 'MISMATCH', null],
      ['2', 'STATUS_DIFFERS', 'MISMATCH', null],
      ['3', 'MISSING_IN_CANONICAL', 'MISMATCH', 'e3'],
      ['4', 'LINES_DIFFER', 'MISMATCH', 'e4'],
      ['9', 'MISSING_AT_SOURCE', 'MISMATCH', null],
    ]);
    expect(diffs[0]!.message).toBe(
      'PI-1 (procurement public.supplier_invoice 1) amounts to 100.01 EUR at the source but 100.0000 in the canonical store.',
    );
    expect(diffs[2]!.message).toBe(
      'PI-3 (procurement public.supplier_invoice 3) is not in the canonical store: Invoice PI-3 is in a closed period.',
    );
    expect(diffs[3]!.message).toMatch(
      /has 2 lines at the source but 1 in the canonical store\. Line 2 names CC-999\.$/,
    );
  });

  it('calls a difference PENDING while the pipeline may still apply it: parked, or changed moments ago', () => {
    const why: Explanations = { ...none, parked: new Map([['5', 'its vendor S-SUP-7 is not active yet']]) };
    const diffs = compareRecords(
      flow,
      [src('5'), src('6', { age_seconds: 3 }), src('7', { age_seconds: 4, amount: '1' })],
      [can('7')],
      why,
    );
    expect(diffs.map((d) => [d.sourceId, d.reason, d.status])).toEqual([
      ['5', 'MISSING_IN_CANONICAL', 'PENDING'],
      ['6', 'MISSING_IN_CANONICAL', 'PENDING'],
      ['7', 'AMOUNT_DIFFERS', 'PENDING'],
    ]);
    expect(diffs[0]!.message).toMatch(/is waiting: its vendor S-SUP-7 is not active yet$/);
    expect(statusOf(diffs)).toBe('PENDING');
  });

  it('leaves out canonical records deleted at the source, and flags a live source row the canonical store deleted', () => {
    const diffs = compareRecords(flow, [src('8')], [can('8', { deleted: true }), can('10', { deleted: true })], none);
    expect(diffs.map((d) => [d.sourceId, d.reason, d.canonicalValue])).toEqual([
      ['8', 'STATUS_DIFFERS', 'deleted at source'],
    ]);
  });
});
