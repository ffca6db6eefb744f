/**
 * What must never reach Tryton: an unbalanced journal, a closed period (closed in the canonical model, or open
 * there but closed in Tryton), an inactive account, a missing mandatory dimension — each refused before anything
 * is sent, with a userError naming the line, the account and the rule. And Tryton's own refusals (its UserError)
 * become the posting's userErrors in Tryton's words.
 */
import { randomUUID } from 'node:crypto';
import {
  journal,
  postingHarness,
  preparer,
  tryton,
  trytonMoves,
  UNREACHABLE_TRYTON,
  type PostingHarness,
} from '../support/postingHarness';

describe('postings refused before they reach Tryton', () => {
  let h: PostingHarness;
  const tag = randomUUID().slice(0, 8);
  let n = 0;

  beforeAll(async () => {
    h = await postingHarness('posting_refusals');
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Accepts the journal; expects it refused with exactly these errors, no posting row and no Tryton move. */
  async function expectRefused(overrides: Record<string, unknown>, expected: unknown[]) {
    const t = `${tag}-r${++n}`;
    const result = await h.service.acceptJournalPosting(journal(t, overrides), preparer, `key-${t}`);
    expect(result.posting).toBeNull();
    expect(result.userErrors).toEqual(expected);
    const stored = await h.pool.query('select 1 from posting where idempotency_key = $1', [`key-${t}`]);
    expect(stored.rowCount).toBe(0);
    expect(await trytonMoves(h.erp, `accrual ${t}`)).toEqual([]);
  }

  it('refuses an unbalanced journal', async () => {
    await expectRefused(
      {
        lines: [
          { accountCode: '6300', debit: '1250.00', dimensions: { COST_CENTER: 'CC-100' } },
          { accountCode: '2200', credit: '1150.00' },
        ],
      },
      [
        {
          code: 'UNBALANCED_JOURNAL',
          field: 'lines',
          message: `Journal ACC-${tag}-r1 does not balance in EUR: debits 1250.00 and credits 1150.00 differ by 100.00.`,
        },
      ],
    );
  });

  it('refuses a journal dated in a closed period (FS-EU 2025)', async () => {
    await expectRefused({ transactionDate: '2025-06-15' }, [
      {
        code: 'PERIOD_CLOSED',
        field: 'transactionDate',
        message: `Journal ACC-${tag}-r2 is dated 2025-06-15, in FS-EU period 2025-06, which is closed.`,
      },
    ]);
  });

  it('refuses a journal on an inactive account', async () => {
    await expectRefused(
      {
        lines: [
          { accountCode: '6900', debit: '1250.00' },
          { accountCode: '2200', credit: '1250.00' },
        ],
      },
      [
        {
          code: 'INVALID_ACCOUNT',
          field: 'lines[1]',
          message: `Line 1 of Journal ACC-${tag}-r3 uses account 6900, which is inactive in the chart of accounts of FS-EU.`,
        },
      ],
    );
  });

  it('refuses a journal missing a mandatory dimension', async () => {
    await expectRefused(
      {
        lines: [
          { accountCode: '2200', debit: '1250.00' },
          { accountCode: '6100', credit: '1250.00' },
        ],
      },
      [
        {
          code: 'MISSING_DIMENSION',
          field: 'lines[2].dimensions.DEPARTMENT',
          message: `Line 2 of Journal ACC-${tag}-r4 posts to account 6100, which requires a department, and none is given.`,
        },
      ],
    );
  });

  it('refuses a journal whose period is open in finsync but closed in Tryton', async () => {
    await h.pool.query(
      `update accounting_period set status = 'OPEN' where legal_entity_id = 'FS-EU' and fiscal_year = 2025 and period_number = 6`,
    );
    try {
      await expectRefused({ transactionDate: '2025-06-15' }, [
        {
          code: 'PERIOD_CLOSED',
          field: 'transactionDate',
          message: `Journal ACC-${tag}-r5 is dated 2025-06-15, in period 2025-06, which is closed in the ERP (tryton).`,
        },
      ]);
    } finally {
      await h.pool.query(
        `update accounting_period set status = 'CLOSED' where legal_entity_id = 'FS-EU' and fiscal_year = 2025 and period_number = 6`,
      );
    }
  });

  it('refuses malformed input naming the field, and a principal without the right to post', async () => {
    const t = `${tag}-r6`;
    const bad = await h.service.acceptJournalPosting(
      journal(t, {
        lines: [
          { accountCode: '6300', debit: '12.5.0' },
          { accountCode: '2200', credit: '1', debit: '1' },
        ],
      }),
      preparer,
      `key-${t}`,
    );
    expect(bad.userErrors).toEqual([
      {
        code: 'INVALID_FIELD',
        field: 'lines[1].debit',
        message: 'lines[1].debit must be a non-negative decimal number written as a string, such as "1250.00".',
      },
    ]);
    const forbidden = await h.service.acceptJournalPosting(
      journal(t),
      { ...preparer, legalEntities: ['FS-US'] },
      `key-${t}`,
    );
    expect(forbidden.userErrors).toEqual([
      { code: 'FORBIDDEN', field: null, message: 'alice@finsync.test may not post postings for FS-EU.' },
    ]);
  });

  it("turns Tryton's own refusal into the posting's userError, in Tryton's words", async () => {
    // Accepted while Tryton did not answer (its checks skipped), the posting names a period Tryton has closed.
    await h.pool.query(
      `update accounting_period set status = 'OPEN' where legal_entity_id = 'FS-EU' and fiscal_year = 2025 and period_number = 7`,
    );
    const t = `${tag}-r7`;
    const accepted = await h
      .serviceWith(tryton(UNREACHABLE_TRYTON, 1_000))
      .acceptJournalPosting(journal(t, { transactionDate: '2025-07-10' }), preparer, `key-${t}`);
    await h.pool.query(
      `update accounting_period set status = 'CLOSED' where legal_entity_id = 'FS-EU' and fiscal_year = 2025 and period_number = 7`,
    );
    expect(accepted.userErrors).toEqual([]);
    const id = accepted.posting!.id;
    await h.work(async () => (await h.service.getPosting(id))?.status === 'FAILED');
    const failed = (await h.service.getPosting(id))!;
    expect(failed.userErrors).toEqual([
      { code: 'ERP_REFUSED', field: null, message: 'You cannot create a journal-period in closed period "2025-07".' },
    ]);
    expect(await trytonMoves(h.erp, `finsync:${id}`)).toEqual([]);
    // Retrying re-validates first: the canonical period is closed now, so it stays FAILED with that reason.
    const retry = await h.service.retryPosting(id, preparer);
    expect(retry.posting?.status).toBe('FAILED');
    expect(retry.userErrors.map((e) => e.code)).toEqual(['PERIOD_CLOSED']);
  });
});
