/**
 * A canonical supplier invoice posted into Tryton as a posted supplier invoice (party found by tax id, taxes computed
 * by Tryton and matching the canonical total); the same invoice is never posted twice. Its vendor is onboarded the
 * real way first (a procurement supplier, captured, checked, made a Tryton party, acknowledged through CDC): invoices
 * of vendors that are not activated wait (test/integration/vendorOnboarding.test.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { brandWord } from '../../stack/seed/names';
import { postingHarness, preparer, type PostingHarness } from '../support/postingHarness';
import {
  freshGermanIban,
  freshGermanVat,
  insertSupplier,
  procurement,
  startOnboardingStack,
  type OnboardingStack,
} from '../support/vendorOnboarding';

describe('invoice postings into Tryton', () => {
  let h: PostingHarness;
  let onboarding: OnboardingStack;
  let source: Client;
  const tag = randomUUID().slice(0, 8);
  const prefix = `PIV${tag}-`;

  beforeAll(async () => {
    h = await postingHarness('posting_invoice');
    source = await procurement();
    onboarding = await startOnboardingStack({
      pool: h.pool,
      databaseUrl: h.db.url,
      purpose: 'posting_invoice',
      prefix,
      erp: h.erp,
    });
  }, 120_000);
  afterAll(async () => {
    await onboarding?.stop();
    await source?.end();
    await h?.close();
  });

  /**
   * A vendor's name: words of their own per invoice, so that finsync's duplicate detection does not take one test
   * vendor for another (a name alone that is nearly the same is a DUPLICATE_VENDOR).
   */
  const vendorName = (number: string) => `${brandWord(number, 1)} ${brandWord(number, 2)} Handel ${tag}`;

  /** An active vendor, onboarded the real way; a blocked one is only a canonical record (it is refused anyway). */
  async function vendor(number: string, status: string): Promise<string> {
    const name = vendorName(number);
    if (status === 'ACTIVE') {
      const code = `${prefix}SUP-${number}`;
      await insertSupplier(source, { code, name, taxId: freshGermanVat(), iban: freshGermanIban() });
      return onboarding.activated(code);
    }
    const { rows } = await h.pool.query<{ id: string }>(
      `insert into vendor (legal_entity_id, name, normalized_name, tax_id, status, currency)
       values ('FS-EU', $1, lower($1), $2, $3, 'EUR') returning id`,
      [name, freshGermanVat(), status],
    );
    return rows[0]!.id;
  }

  async function canonicalInvoice(
    number: string,
    tax: string,
    total: string,
    vendorStatus = 'ACTIVE',
  ): Promise<string> {
    const vendorId = await vendor(number, vendorStatus);
    const invoice = await h.pool.query<{ id: string }>(
      `insert into invoice (legal_entity_id, type, number, vendor_id, issue_date, fiscal_year, currency, sub_total,
                            total_tax_amount, total_amount, balance, status)
       values ('FS-EU', 'ACCOUNTS_PAYABLE', $1, $2, '2026-11-05', 2026, 'EUR', '200.00', $3, $4, $4, 'OPEN') returning id`,
      [number, vendorId, tax, total],
    );
    const id = invoice.rows[0]!.id;
    await h.pool.query(
      `insert into invoice_line (invoice_id, line_number, description, quantity, unit_price, total_amount, account_id, tax_code_id, dimensions)
       select $1, n, 'licences', 2, 100.00, 200.00, (select id from account where legal_entity_id = 'FS-EU' and code = '6300'),
              (select id from tax_code where legal_entity_id = 'FS-EU' and code = 'VAT19'), '{"COST_CENTER": "CC-200"}'
         from (values (1)) v(n)`,
      [id],
    );
    return id;
  }

  it('posts a supplier invoice once, with Tryton computing the same total', async () => {
    const number = `PI-${tag}-1`;
    const id = await canonicalInvoice(number, '38.00', '238.00');
    const accepted = await h.service.acceptInvoicePosting(id, preparer, `inv-${tag}-1`);
    expect(accepted.userErrors).toEqual([]);
    expect(accepted.posting).toMatchObject({ kind: 'INVOICE', status: 'APPROVED', amount: '238.0000' });
    const postingId = accepted.posting!.id;
    await h.work(async () => (await h.service.getPosting(postingId))?.status === 'POSTED');

    const rows = await h.erp.client.read<
      Array<{ id: number; state: string; type: string; total_amount: string; 'party.': { rec_name: string } }>
    >('model.account.invoice.search_read', [
      [['reference', '=', `finsync:${postingId}`]],
      0,
      null,
      null,
      ['state', 'type', 'total_amount', 'party.rec_name'],
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'posted', type: 'in', total_amount: '238.00' });
    expect(rows[0]!['party.'].rec_name).toContain(vendorName(number));
    expect((await h.service.getPosting(postingId))!.erp.documentId).toBe(String(rows[0]!.id));

    const again = await h.service.acceptInvoicePosting(id, preparer, `inv-${tag}-1-other`);
    expect(again.posting).toBeNull();
    expect(again.userErrors.map((e) => e.code)).toEqual(['DOCUMENT_ALREADY_POSTED']);
  });

  it('refuses an invoice whose counterparty is blocked, or whose total Tryton would compute differently', async () => {
    const blocked = await canonicalInvoice(`PI-${tag}-2`, '38.00', '238.00', 'BLOCKED');
    const r1 = await h.service.acceptInvoicePosting(blocked, preparer, `inv-${tag}-2`);
    expect(r1.posting).toBeNull();
    expect(r1.userErrors.map((e) => e.code)).toContain('INVALID_COUNTERPARTY');

    const wrongTax = await canonicalInvoice(`PI-${tag}-3`, '14.00', '214.00');
    const r2 = await h.service.acceptInvoicePosting(wrongTax, preparer, `inv-${tag}-3`);
    expect(r2.userErrors).toEqual([]);
    const id = r2.posting!.id;
    await h.work(async () => (await h.service.getPosting(id))?.status === 'FAILED');
    expect((await h.service.getPosting(id))!.userErrors).toEqual([
      {
        code: 'ERP_TOTAL_MISMATCH',
        field: 'totalAmount',
        message:
          "Tryton computes a total of 238.00 EUR for this invoice, not the 214.00 EUR finsync holds; check the lines' tax codes and rounding.",
      },
    ]);
    const left = await h.erp.client.read<number>('model.account.invoice.search_count', [
      [['reference', '=', `finsync:${id}`]],
    ]);
    expect(left).toBe(0);
  });
});
