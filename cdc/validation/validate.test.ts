import type {
  InvoiceCandidate,
  JournalEntryCandidate,
  JournalLineCandidate,
} from '../../canonical-schema/model/candidates';
import type { Subject } from './Subject';
import type { ReferenceData, ValidationContext } from './ValidationContext';
import { fillTemplate, loadValidationRules, validate } from './validate';

const rules = loadValidationRules();

/** A small chart: 6100 needs a department, 6900 is inactive; fiscal 2025 is closed. */
const reference: ReferenceData = {
  account: (_le, code) =>
    ({
      '6100': { id: 'a1', status: 'ACTIVE', allowsPosting: true, requiredDimensions: ['DEPARTMENT'] },
      '2200': { id: 'a2', status: 'ACTIVE', allowsPosting: true, requiredDimensions: [] },
      '6900': { id: 'a3', status: 'INACTIVE', allowsPosting: true, requiredDimensions: [] },
    })[code],
  dimension: (_le, type, code) => (type === 'DEPARTMENT' && code === 'D-ENG' ? { status: 'ACTIVE' } : undefined),
  period: (_le, date) =>
    date.startsWith('2025')
      ? { id: 'p25', fiscalYear: 2025, periodNumber: Number(date.slice(5, 7)), status: 'CLOSED' }
      : { id: 'p26', fiscalYear: 2026, periodNumber: Number(date.slice(5, 7)), status: 'OPEN' },
  taxCode: () => ({ status: 'ACTIVE' }),
  currency: (code) => (code === 'EUR' ? { minorUnits: 2 } : undefined),
};
const context: ValidationContext = { reference, counterparty: async () => null, invoiceWithNumber: async () => null };

function journal(overrides: Partial<JournalEntryCandidate>): Subject {
  const candidate: JournalEntryCandidate = {
    legalEntityId: 'FS-EU',
    journalType: 'PAYROLL',
    number: 'PR-7',
    transactionDate: '2026-06-30',
    currency: 'EUR',
    memo: null,
    postingStatus: 'APPROVED',
    sourceDocumentType: 'PAYROLL_RUN',
    lines: [
      {
        lineNumber: 1,
        accountCode: '6100',
        description: null,
        debit: '1000.00',
        credit: '0',
        dimensions: { DEPARTMENT: 'D-ENG' },
      },
      { lineNumber: 2, accountCode: '2200', description: null, debit: '0', credit: '1000.00', dimensions: {} },
    ],
    ...overrides,
  };
  return { type: 'JOURNAL_ENTRY', label: 'Journal PR-7', candidate };
}

describe('validate with the finance rules in rules.json', () => {
  it('passes a balanced payroll journal with its mandatory department', async () => {
    expect(await validate(journal({}), rules, context)).toEqual([]);
  });

  it('names the difference of an unbalanced journal', async () => {
    const subject = journal({
      lines: [
        {
          lineNumber: 1,
          accountCode: '6100',
          description: null,
          debit: '1100.00',
          credit: '0',
          dimensions: { DEPARTMENT: 'D-ENG' },
        },
        { lineNumber: 2, accountCode: '2200', description: null, debit: '0', credit: '1000.00', dimensions: {} },
      ],
    });
    expect(await validate(subject, rules, context)).toEqual([
      {
        ruleId: 'JOURNAL_BALANCED',
        ruleVersion: 1,
        code: 'UNBALANCED_JOURNAL',
        severity: 'ERROR',
        field: 'lines',
        message: 'Journal PR-7 does not balance in EUR: debits 1100.00 and credits 1000.00 differ by 100.00.',
      },
    ]);
  });

  it('reports an inactive account, an unknown and a missing dimension, line by line', async () => {
    const subject = journal({
      lines: [
        {
          lineNumber: 1,
          accountCode: '6100',
          description: null,
          debit: '10',
          credit: '0',
          dimensions: { DEPARTMENT: 'D-XX' },
        },
        { lineNumber: 2, accountCode: '6100', description: null, debit: '10', credit: '0', dimensions: {} },
        { lineNumber: 3, accountCode: '6900', description: null, debit: '0', credit: '20', dimensions: {} },
      ],
    });
    const codes = (await validate(subject, rules, context)).map((v) => [v.code, v.field, v.message]);
    expect(codes).toEqual([
      [
        'INVALID_ACCOUNT',
        'lines[3]',
        'Line 3 of Journal PR-7 uses account 6900, which is inactive in the chart of accounts of FS-EU.',
      ],
      [
        'UNKNOWN_DIMENSION',
        'lines[1].dimensions.DEPARTMENT',
        'Line 1 of Journal PR-7 names department D-XX, which is not a known dimension for FS-EU.',
      ],
      [
        'MISSING_DIMENSION',
        'lines[2].dimensions.DEPARTMENT',
        'Line 2 of Journal PR-7 posts to account 6100, which requires a department, and none is given.',
      ],
    ]);
  });

  it('refuses a journal dated in a closed period and an unknown currency', async () => {
    const codes = (await validate(journal({ transactionDate: '2025-06-30', currency: 'XYZ' }), rules, context)).map(
      (v) => v.code,
    );
    expect(codes).toEqual(['PERIOD_CLOSED', 'UNKNOWN_CURRENCY']);
  });

  it('fills message templates and leaves unknown placeholders visible', () => {
    expect(fillTemplate('{a} and {b}', { a: 'x' })).toBe('x and {b}');
  });
});

/** The largest amount a source column numeric(18,2) holds. */
const SOURCE_MAX = '9999999999999999.99';
const line = (n: number, debit: string, credit: string): JournalLineCandidate => ({
  lineNumber: n,
  accountCode: debit === '0' ? '2200' : '6100',
  description: null,
  debit,
  credit,
  dimensions: debit === '0' ? {} : { DEPARTMENT: 'D-ENG' },
});
const invoice = (amounts: Partial<InvoiceCandidate>): Subject => ({
  type: 'INVOICE',
  label: 'Invoice INV-9 (billing billing.invoice 42)',
  canonicalId: null,
  candidate: {
    legalEntityId: 'FS-EU',
    type: 'ACCOUNTS_RECEIVABLE',
    isCreditNote: false,
    number: 'INV-9',
    counterpartyId: '00000000-0000-4000-8000-000000000001',
    issueDate: '2026-03-01',
    dueDate: null,
    currency: 'EUR',
    subTotal: '0',
    totalTaxAmount: '0',
    totalAmount: '0',
    status: 'OPEN',
    memo: null,
    ...amounts,
  },
});
const amountRule = async (subject: Subject) =>
  (await validate(subject, rules, context)).filter((v) => v.ruleId === 'AMOUNTS_FIT_STORE');

describe('AMOUNTS_FIT_STORE: an amount the canonical store cannot hold exactly is an exception naming the field', () => {
  it('passes the largest amounts the sources hold, many of them in one balanced journal', async () => {
    expect(await validate(invoice({ subTotal: SOURCE_MAX, totalAmount: SOURCE_MAX }), rules, context)).toEqual([]);
    const lines = [
      ...Array.from({ length: 150 }, (_, i) => line(i + 1, SOURCE_MAX, '0')),
      ...Array.from({ length: 150 }, (_, i) => line(i + 151, '0', SOURCE_MAX)),
    ];
    expect(await validate(journal({ lines }), rules, context)).toEqual([]);
  });

  it('refuses a total with a digit more than the store holds, naming the record and the field', async () => {
    const huge = `1${'0'.repeat(34)}.00`;
    expect(await amountRule(invoice({ subTotal: huge, totalAmount: huge }))).toEqual([
      expect.objectContaining({
        code: 'AMOUNT_OUT_OF_RANGE',
        field: 'subTotal',
        message: `Invoice INV-9 (billing billing.invoice 42): the subtotal ${huge} has 35 digits before the decimal point, and finsync's store holds at most 34 (NUMERIC(38,4)). Nothing of it was applied: finsync holds an amount exactly or not at all.`,
      }),
      expect.objectContaining({ code: 'AMOUNT_OUT_OF_RANGE', field: 'totalAmount' }),
    ]);
  });

  it("refuses a decimal the store would round away, and the store's sign rules of a journal line", async () => {
    const lines = [
      line(1, '100.00001', '0'),
      line(2, '-5.00', '0'),
      { ...line(3, '1.00', '1.00'), accountCode: '2200', dimensions: {} },
      line(4, '0', '100.00001'),
    ];
    const found = (await amountRule(journal({ lines }))).map((v) => [v.field, v.message]);
    expect(found).toEqual([
      [
        'lines[1].debit',
        "Line 1 of Journal PR-7: the debit 100.00001 has 5 decimal places, and finsync's store keeps 4 (NUMERIC(38,4)) and never rounds an amount. Nothing of it was applied: finsync holds an amount exactly or not at all.",
      ],
      ['lines[2].debit', expect.stringContaining('the debit -5.00 is negative')],
      ['lines[3].credit', expect.stringContaining('the credit 1.00 comes with a debit of 1.00 on the same line')],
      ['lines[4].credit', expect.stringContaining('the credit 100.00001 has 5 decimal places')],
    ]);
  });

  it('checks an ERP move line that arrives on its own, and a journal whose debits add up beyond the store', async () => {
    const erpLine: Subject = {
      type: 'JOURNAL_LINE',
      label: 'Line 7 of a journal (erp public.account_move_line 7)',
      candidate: {
        journalEntryId: '00000000-0000-4000-8000-000000000002',
        lineNumber: 7,
        accountId: '00000000-0000-4000-8000-000000000003',
        description: null,
        debit: `${'9'.repeat(35)}.00`,
        credit: '0',
        dimensions: {},
      },
    };
    expect((await validate(erpLine, rules, context)).map((v) => [v.code, v.field])).toEqual([
      ['AMOUNT_OUT_OF_RANGE', 'debit'],
    ]);
    const widest = `${'9'.repeat(34)}.00`;
    const over = await amountRule(journal({ lines: [line(1, widest, '0'), line(2, widest, '0'), line(3, '0', '1')] }));
    expect(over.map((v) => [v.field, v.message])).toEqual([
      ['lines', expect.stringMatching(/^Journal PR-7: the total of the debits 1999.*98 has 35 digits before/)],
    ]);
  });
});

describe('JOURNAL_BALANCED at the largest amounts', () => {
  it('tells debits and credits a cent apart when each side is 150 maximal amounts (beyond 20 digits)', async () => {
    const lines = [
      ...Array.from({ length: 150 }, (_, i) => line(i + 1, SOURCE_MAX, '0')),
      line(151, '0.02', '0'),
      ...Array.from({ length: 150 }, (_, i) => line(i + 152, '0', SOURCE_MAX)),
      line(302, '0', '0.01'),
    ];
    expect((await validate(journal({ lines }), rules, context)).map((v) => v.message)).toEqual([
      'Journal PR-7 does not balance in EUR: debits 1499999999999999998.52 and credits 1499999999999999998.51 differ by 0.01.',
    ]);
  });
});
