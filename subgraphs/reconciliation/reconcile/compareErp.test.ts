import type { ErpRecord, PostingOfRecord } from '../flows/erpStages';
import type { CanonicalRecord } from '../flows/FlowDefinition';
import { FLOWS } from '../flows/flows';
import { compareErp, formatAmount } from './compareErp';

const BILLING = FLOWS.find((f) => f.id === 'BILLING_INVOICES')!;
const PROCUREMENT = FLOWS.find((f) => f.id === 'PROCUREMENT_SUPPLIER_INVOICES')!;

const canonical = (n: number, over: Partial<CanonicalRecord> = {}): CanonicalRecord => ({
  source_id: String(n),
  canonical_id: `c${n}`,
  number: `INV-${n}`,
  currency: 'EUR',
  amount: '1234.5600',
  status: 'OPEN',
  deleted: false,
  ...over,
});
const erp = (n: number, over: Partial<ErpRecord> = {}): ErpRecord => ({
  canonical_id: `c${n}`,
  role: 'TARGET',
  source_id: String(100 + n),
  source_table: 'public.account_invoice',
  number: String(30 + n),
  currency: 'EUR',
  amount: '1234.5600',
  status: 'OPEN',
  state: 'posted',
  deleted: false,
  foreign: false,
  ...over,
});
const posting = (n: number, status: string, over: Partial<PostingOfRecord> = {}): PostingOfRecord => ({
  canonical_id: `c${n}`,
  posting_id: `p${n}`,
  status,
  user_errors: [],
  erp_document_number: null,
  posted_age_seconds: 600,
  ...over,
});
const run = (flow = BILLING, c: CanonicalRecord[], records: ErpRecord[], postings: PostingOfRecord[] = []) =>
  compareErp(flow, c, { status: 'AVAILABLE', records, postings }, 30);

describe('compareErp: canonical records against their ERP side', () => {
  it('finds nothing when the ERP holds the same amount, currency and status', () => {
    expect(run(BILLING, [canonical(1)], [erp(1)])).toEqual([]);
  });

  it('says in words what differs: the amount, the status', () => {
    const out = run(
      PROCUREMENT,
      [canonical(1, { amount: '1243.5600' }), canonical(2)],
      [erp(1), erp(2, { status: 'PAID', state: 'paid' })],
    );
    expect(out.map((d) => [d.reason, d.status, d.stages, d.message])).toEqual([
      [
        'AMOUNT_DIFFERS',
        'MISMATCH',
        ['CANONICAL', 'ERP'],
        'INV-1 (procurement public.supplier_invoice 1): amount in the ERP 1,234.56, in procurement 1,243.56 (EUR; Tryton invoice 31).',
      ],
      [
        'STATUS_DIFFERS',
        'MISMATCH',
        ['CANONICAL', 'ERP'],
        'INV-2 (procurement public.supplier_invoice 2): paid in the ERP, open in procurement (Tryton invoice 32).',
      ],
    ]);
    expect(out[1]).toMatchObject({ canonicalValue: 'OPEN', erpValue: 'PAID' });
  });

  it('reports a document cancelled or deleted in the ERP', () => {
    const out = run(
      BILLING,
      [canonical(1), canonical(2)],
      [erp(1, { status: 'VOID', state: 'cancelled' }), erp(2, { deleted: true })],
    );
    expect(out.map((d) => d.message)).toEqual([
      'INV-1 (billing billing.invoice 1): cancelled in the ERP, open in billing (Tryton invoice 31).',
      'INV-2 (billing billing.invoice 2) was posted to the ERP as Tryton invoice 32, which has been deleted there.',
    ]);
  });

  it('follows a record on its way to the ERP, refused by it, or posted and not back; never posted is no difference', () => {
    const out = run(
      BILLING,
      [canonical(1), canonical(2), canonical(3), canonical(4), canonical(5)],
      [],
      [
        posting(1, 'PENDING_APPROVAL'),
        posting(2, 'FAILED', {
          user_errors: [{ message: 'You cannot create a journal-period in closed period "2025-07".' }],
        }),
        posting(3, 'POSTED', { posted_age_seconds: 5 }),
        posting(4, 'POSTED'),
      ],
    );
    expect(out.map((d) => [d.sourceId, d.reason, d.status])).toEqual([
      ['1', 'MISSING_IN_ERP', 'PENDING'],
      ['2', 'MISSING_IN_ERP', 'MISMATCH'],
      ['3', 'MISSING_IN_ERP', 'PENDING'],
      ['4', 'MISSING_IN_ERP', 'MISMATCH'],
    ]);
    expect(out[1]!.message).toBe(
      'INV-2 (billing billing.invoice 2) is not in the ERP: it refused posting p2: You cannot create a journal-period in closed period "2025-07".',
    );
  });

  it('reports what only the ERP holds: entered there directly, or posted by a finsync it does not know', () => {
    const out = run(
      BILLING,
      [],
      [
        erp(7, { role: 'SOURCE', canonical_id: 'c7', amount: '-50.00', status: 'OPEN' }),
        erp(8, { role: null, canonical_id: null, foreign: true }),
      ],
    );
    expect(out.map((d) => [d.reason, d.stages, d.sourceSystem, d.canonicalId, d.message])).toEqual([
      [
        'MISSING_AT_SOURCE',
        ['SOURCE', 'ERP'],
        'erp',
        'c7',
        'Tryton invoice 37 (-50.00 EUR, open) was entered in the ERP directly; billing does not know it.',
      ],
      [
        'MISSING_AT_SOURCE',
        ['SOURCE', 'ERP'],
        'erp',
        null,
        'Tryton invoice 38 (1,234.56 EUR, open) carries the reference of a posting finsync does not hold; billing does not know it.',
      ],
    ]);
  });

  it('writes amounts with thousands separators and two decimals', () => {
    expect(formatAmount('1234567.5')).toBe('1,234,567.50');
    expect(formatAmount('-1234.561')).toBe('-1,234.56');
    expect(formatAmount('12')).toBe('12.00');
  });
});
