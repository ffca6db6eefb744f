import { compareWithErp, type ErpJournal, type PostedJournal } from './compareWithErp';

const posted: PostedJournal = {
  legalEntityId: 'FS-EU',
  transactionDate: '2026-11-20',
  lines: [
    { accountCode: '6300', debit: '1250.00', credit: '0' },
    { accountCode: '2200', debit: '0', credit: '1250.00' },
  ],
};
const erp = (over: Partial<ErpJournal> = {}): ErpJournal => ({
  legalEntityId: 'FS-EU',
  transactionDate: '2026-11-20',
  postingStatus: 'POSTED',
  lines: [
    { accountCode: '2200', debit: '0.0000', credit: '1250.0000' },
    { accountCode: '6300', debit: '1250.0000', credit: '0.0000' },
  ],
  ...over,
});

describe('compareWithErp', () => {
  it('confirms the same amounts per account on the same date, whatever the line order and scale', () => {
    expect(compareWithErp(posted, erp())).toEqual({ status: 'CONFIRMED' });
  });

  it('waits while the move has not come back, or its lines are still arriving', () => {
    expect(compareWithErp(posted, null).status).toBe('PENDING');
    expect(compareWithErp(posted, erp({ lines: [{ accountCode: '6300', debit: '1250.00', credit: '0' }] }))).toEqual({
      status: 'PENDING',
      why: "the ERP's move lines are still arriving",
    });
  });

  it('names each difference: amount per account, date, status', () => {
    const result = compareWithErp(
      posted,
      erp({
        transactionDate: '2026-11-21',
        postingStatus: 'SUBMITTED',
        lines: [
          { accountCode: '6400', debit: '1250.00', credit: '0' },
          { accountCode: '2200', debit: '0', credit: '1250.00' },
        ],
      }),
    );
    expect(result).toEqual({
      status: 'MISMATCH',
      differences: [
        "the ERP's move is SUBMITTED, not posted",
        "the ERP's move is dated 2026-11-21, the posting 2026-11-20",
        'account 6300: posted debit 1250.00 / credit 0.00, the ERP holds debit 0.00 / credit 0.00',
        'account 6400: posted debit 0.00 / credit 0.00, the ERP holds debit 1250.00 / credit 0.00',
      ],
    });
  });

  it("compares a foreign-currency journal in its own currency: the ERP keeps it as the lines' second currency", () => {
    const gbp: PostedJournal = { ...posted, currency: 'GBP' };
    const held = erp({
      lines: [
        {
          accountCode: '6300',
          debit: '1444.25',
          credit: '0',
          secondCurrency: 'GBP',
          amountSecondCurrency: '1250.0000',
        },
        {
          accountCode: '2200',
          debit: '0',
          credit: '1444.25',
          secondCurrency: 'GBP',
          amountSecondCurrency: '-1250.0000',
        },
      ],
    });
    expect(compareWithErp(gbp, held)).toEqual({ status: 'CONFIRMED' });
    const other = erp({
      lines: [
        {
          accountCode: '6300',
          debit: '1444.25',
          credit: '0',
          secondCurrency: 'GBP',
          amountSecondCurrency: '1200.0000',
        },
        {
          accountCode: '2200',
          debit: '0',
          credit: '1444.25',
          secondCurrency: 'GBP',
          amountSecondCurrency: '-1200.0000',
        },
      ],
    });
    expect(compareWithErp(gbp, other)).toMatchObject({
      status: 'MISMATCH',
      differences: [
        'account 2200: posted debit 0.00 / credit 1250.00, the ERP holds debit 0.00 / credit 1200.00',
        'account 6300: posted debit 1250.00 / credit 0.00, the ERP holds debit 1200.00 / credit 0.00',
      ],
    });
  });
});
