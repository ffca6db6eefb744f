/**
 * Both legal entities in Tryton, each a company in its own currency, and documents in another currency posted at
 * the rate of their date: a GBP journal and a GBP customer invoice of FS-EU (EUR books), a USD journal and a EUR
 * customer invoice of FS-US (USD books). Read back through Tryton's JSON-RPC as a finance user would check them: the
 * move lines' debit and credit in the company currency = amount × Tryton's rate of the document's date, rounded
 * to the cent, and the document's own amount kept as the line's second currency.
 */
import { randomUUID } from 'node:crypto';
import { Decimal } from '../../canonical-schema/money/Decimal';
import { invoiceDateInTryton } from '../support/invoiceDateInTryton';
import { journal, postingHarness, type PostingHarness } from '../support/postingHarness';
import type { Principal } from '../../erp/posting/Principal';

const accountant: Principal = {
  subject: 'currency-accountant@finsync.test',
  roles: ['accountant'],
  legalEntities: ['FS-EU', 'FS-US'],
};

/** A move line as Tryton returns it, with the account code and the second currency's code. */
interface MoveLine {
  'account.': { code: string };
  debit: string;
  credit: string;
  amount_second_currency: string | null;
  'second_currency.': { code: string } | null;
}

describe('postings in both legal entities and in foreign currencies, read back from Tryton', () => {
  let h: PostingHarness;
  const tag = randomUUID().slice(0, 8);

  beforeAll(async () => {
    h = await postingHarness('posting_currencies');
  });
  afterAll(async () => {
    await h?.close();
  });

  /** Tryton's rate of a currency in force on a date (the newest one dated on or before it). */
  async function rateOn(code: string, date: string): Promise<string> {
    const rows = await h.erp.client.read<Array<{ rate: string }>>('model.currency.currency.rate.search_read', [
      [
        ['currency.code', '=', code],
        ['date', '<=', { __class__: 'date', year: +date.slice(0, 4), month: +date.slice(5, 7), day: +date.slice(8) }],
      ],
      0,
      1,
      [['date', 'DESC']],
      ['rate'],
    ]);
    return rows[0]!.rate;
  }

  /** amount × company rate ÷ document rate, half to even to the cent (Python's decimal default, Tryton's rounding). */
  const convert = (amount: string, companyRate: string, documentRate: string) =>
    new Decimal(amount)
      .times(companyRate)
      .dividedBy(documentRate)
      .toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN)
      .toFixed(2);

  async function moveLines(moveId: number): Promise<MoveLine[]> {
    return h.erp.client.read<MoveLine[]>('model.account.move.line.search_read', [
      [['move', '=', moveId]],
      0,
      null,
      [['id', 'ASC']],
      ['account.code', 'debit', 'credit', 'amount_second_currency', 'second_currency.code'],
    ]);
  }

  const byAccount = (lines: MoveLine[]) =>
    Object.fromEntries(
      lines.map((l) => [
        l['account.'].code,
        {
          debit: new Decimal(l.debit).toFixed(2),
          credit: new Decimal(l.credit).toFixed(2),
          second: l.amount_second_currency === null ? null : new Decimal(l.amount_second_currency).toFixed(2),
          currency: l['second_currency.']?.code ?? null,
        },
      ]),
    );

  async function postJournal(input: Record<string, unknown>, key: string): Promise<number> {
    const accepted = await h.service.acceptJournalPosting(input, accountant, key);
    expect(accepted.userErrors).toEqual([]);
    const id = accepted.posting!.id;
    await h.work(async () => ['POSTED', 'FAILED'].includes((await h.service.getPosting(id))!.status));
    const done = (await h.service.getPosting(id))!;
    expect([done.status, done.userErrors]).toEqual(['POSTED', []]);
    return Number((await h.service.getPosting(id))!.erp.documentId);
  }

  it('has a company per legal entity, in its own currency, and rates for EUR, USD and GBP', async () => {
    const companies = await h.erp.client.read<
      Array<{ id: number; 'party.': { code: string }; 'currency.': { code: string } }>
    >('model.company.company.search_read', [[], 0, null, [['id', 'ASC']], ['party.code', 'currency.code']]);
    expect(companies.map((c) => [c.id, c['party.'].code, c['currency.'].code])).toEqual([
      [1, 'FS-EU', 'EUR'],
      [2, 'FS-US', 'USD'],
    ]);
    for (const code of ['USD', 'GBP']) expect(Number(await rateOn(code, '2026-03-15'))).toBeGreaterThan(0);
    expect(await rateOn('EUR', '2026-03-15')).toBe('1');
  });

  it('posts a GBP journal of FS-EU in EUR at the GBP rate of its date, keeping the GBP amounts', async () => {
    const date = '2026-03-10';
    const moveId = await postJournal(
      journal(`${tag}-gbp`, { currency: 'GBP', transactionDate: date }, '1000.00'),
      `cur-${tag}-gbp`,
    );
    const eur = convert('1000.00', await rateOn('EUR', date), await rateOn('GBP', date));
    expect(eur).not.toBe('1000.00');
    expect(byAccount(await moveLines(moveId))).toEqual({
      '6300': { debit: eur, credit: '0.00', second: '1000.00', currency: 'GBP' },
      '2200': { debit: '0.00', credit: eur, second: '-1000.00', currency: 'GBP' },
    });
  });

  it('posts a USD journal of FS-US in its own currency: the company amounts are the document amounts', async () => {
    const moveId = await postJournal(
      journal(`${tag}-usd`, { legalEntityId: 'FS-US', currency: 'USD', transactionDate: '2026-03-10' }, '480.25'),
      `cur-${tag}-usd`,
    );
    const move = await h.erp.client.read<Array<{ company: number; state: string }>>('model.account.move.read', [
      [moveId],
      ['company', 'state'],
    ]);
    expect(move[0]).toMatchObject({ company: 2, state: 'posted' });
    expect(byAccount(await moveLines(moveId))).toEqual({
      '6300': { debit: '480.25', credit: '0.00', second: null, currency: null },
      '2200': { debit: '0.00', credit: '480.25', second: null, currency: null },
    });
  });

  /**
   * A canonical customer invoice of one line (200.00 + VAT 19%) in the given entity and currency. (A customer's: its
   * counterparty needs no vendor onboarding before it posts.)
   */
  async function customerInvoice(legalEntityId: string, currency: string, date: string, n: number): Promise<string> {
    const customer = await h.pool.query<{ id: string }>(
      `insert into customer (legal_entity_id, name, tax_id, status, currency)
       values ($1, $2, $3, 'ACTIVE', $4) returning id`,
      [legalEntityId, `Currency Customer ${tag} ${n}`, `GB-C${tag}-${n}`, currency],
    );
    const invoice = await h.pool.query<{ id: string }>(
      `insert into invoice (legal_entity_id, type, number, customer_id, issue_date, fiscal_year, currency, sub_total,
                            total_tax_amount, total_amount, balance, status)
       values ($1, 'ACCOUNTS_RECEIVABLE', $2, $3, $4, 2026, $5, '200.00', '38.00', '238.00', '238.00', 'OPEN') returning id`,
      [legalEntityId, `PC-${tag}-${n}`, customer.rows[0]!.id, date, currency],
    );
    const id = invoice.rows[0]!.id;
    await h.pool.query(
      `insert into invoice_line (invoice_id, line_number, description, quantity, unit_price, total_amount, account_id, tax_code_id)
       values ($1, 1, 'subscription', 2, 100.00, 200.00,
               (select id from account where legal_entity_id = $2 and code = '4000'),
               (select id from tax_code where legal_entity_id = $2 and code = 'VAT19'))`,
      [id, legalEntityId],
    );
    return id;
  }

  async function postInvoice(canonicalId: string, key: string) {
    const accepted = await h.service.acceptInvoicePosting(canonicalId, accountant, key);
    expect(accepted.userErrors).toEqual([]);
    const id = accepted.posting!.id;
    await h.work(async () => ['POSTED', 'FAILED'].includes((await h.service.getPosting(id))!.status));
    const done = (await h.service.getPosting(id))!;
    expect([done.status, done.userErrors]).toEqual(['POSTED', []]);
    const [invoice] = await h.erp.client.read<
      Array<{ move: number; total_amount: string; 'currency.': { code: string }; company: number }>
    >('model.account.invoice.read', [
      [Number((await h.service.getPosting(id))!.erp.documentId)],
      ['move', 'total_amount', 'currency.code', 'company'],
    ]);
    return invoice!;
  }

  it.each([
    ['FS-EU', 'GBP', 'EUR', 1],
    ['FS-US', 'EUR', 'USD', 2],
  ])(
    'posts a customer invoice of %s in %s: its move in %s at the rate of the invoice date',
    async (legalEntityId, currency, companyCurrency, n) => {
      const date = await invoiceDateInTryton(h.erp, legalEntityId === 'FS-EU' ? 1 : 2, '2026-11-05');
      const posted = await postInvoice(await customerInvoice(legalEntityId, currency, date, n), `cur-${tag}-inv-${n}`);
      expect(posted).toMatchObject({ total_amount: '238.00', 'currency.': { code: currency } });
      expect(posted.company).toBe(legalEntityId === 'FS-EU' ? 1 : 2);
      const [companyRate, documentRate] = [await rateOn(companyCurrency, date), await rateOn(currency, date)];
      const lines = byAccount(await moveLines(posted.move));
      expect(lines['1400']).toEqual({
        debit: convert('238.00', companyRate, documentRate),
        credit: '0.00',
        second: '238.00',
        currency,
      });
      expect(lines['4000']).toEqual({
        debit: '0.00',
        credit: convert('200.00', companyRate, documentRate),
        second: '-200.00',
        currency,
      });
      expect(lines['2300']).toEqual({
        debit: '0.00',
        credit: convert('38.00', companyRate, documentRate),
        second: '-38.00',
        currency,
      });
    },
  );
});
