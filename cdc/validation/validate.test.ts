import type { JournalEntryCandidate } from '../../canonical-schema/model/candidates';
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
