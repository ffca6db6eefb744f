import { parseJournalInput } from './JournalPostingInput';

const base = {
  legalEntityId: 'FS-EU',
  transactionDate: '2026-11-20',
  currency: 'EUR',
  lines: [
    { accountCode: '6300', debit: '100', dimensions: { COST_CENTER: 'CC-100' } },
    { accountCode: '2200', credit: '100.00' },
  ],
};

describe('parseJournalInput', () => {
  it('fills defaults and normalises amounts, so 100 and 100.00 are one body', () => {
    const parsed = parseJournalInput(base);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.userErrors));
    expect(parsed.value.journalType).toBe('GENERAL');
    expect(parsed.value.lines.map((l) => [l.debit, l.credit])).toEqual([
      ['100', '0'],
      ['0', '100'],
    ]);
    expect(parsed.value.lines[1]!.counterparty).toBeNull();
  });

  it('names the field of every problem with 1-based line numbers', () => {
    const parsed = parseJournalInput({
      ...base,
      currency: 'euro',
      lines: [{ accountCode: '', debit: '-5' }, base.lines[1]],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.userErrors.map((e) => e.field)).toEqual(['currency', 'lines[1].accountCode', 'lines[1].debit']);
    expect(parsed.userErrors[0]!.message).toBe('currency must be an ISO 4217 code such as EUR.');
  });

  it('refuses a line with both or neither of debit and credit', () => {
    const parsed = parseJournalInput({
      ...base,
      lines: [{ accountCode: '6300', debit: '5', credit: '5' }, { accountCode: '2200' }],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.userErrors).toEqual([
      {
        code: 'INVALID_LINE_AMOUNT',
        field: 'lines[1]',
        message: 'Line 1 (account 6300) must have either a debit or a credit, not both.',
      },
      {
        code: 'INVALID_LINE_AMOUNT',
        field: 'lines[2]',
        message: 'Line 2 (account 2200) must have either a debit or a credit, not neither.',
      },
    ]);
  });

  it('refuses fields it does not know (a preparer or approver cannot be sent in)', () => {
    const parsed = parseJournalInput({ ...base, preparer: 'mallory' });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.userErrors[0]!.code).toBe('INVALID_FIELD');
    expect(parsed.userErrors[0]!.message).toContain('preparer');
  });
});
