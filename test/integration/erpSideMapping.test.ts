/**
 * The ERP's side on a real canonical database, from change events shaped like Debezium's for Tryton's invoice and
 * payment tables (account_invoice, account_invoice_line, account_invoice_tax, account_payment) through the mapping
 * rules and the set-based apply: totals computed as Tryton computes them, a posted invoice linked as the TARGET
 * side of the invoice its posting was made from, documents entered in Tryton becoming canonical records of system
 * erp, a supplier invoice paid in Tryton paid in finsync, replays changing nothing. The path from Tryton itself is
 * test/integration/erpSide.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { loadReferenceData } from '../../canonical-schema/reference/loadReferenceData';
import { loadReferenceCache } from '../../cdc/apply/loadReferenceCache';
import type { FieldValue, RowChange, RowImage } from '../../cdc/envelope/ChangeEvent';
import { loadMappingRules } from '../../cdc/mapping/loadMappingRules';
import { applyChanges, type ApplyContext, type Applied } from '../../cdc/pipeline/applyChanges';
import { planChange } from '../../cdc/pipeline/planChange';
import { loadValidationRules } from '../../cdc/validation/validate';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';

const mappingRules = loadMappingRules();
const validationRules = loadValidationRules();

let lsn = 9_000_000;
function change(table: string, op: RowChange['op'], image: RowImage, at = lsn + 100): RowChange {
  lsn = Math.max(lsn + 100, at);
  return {
    kind: 'change',
    topic: `erp.public.${table}`,
    partition: 0,
    offset: String(at),
    op,
    key: null,
    before: op === 'delete' ? image : null,
    after: op === 'delete' ? null : image,
    source: {
      connector: 'postgresql',
      system: 'erp',
      database: 'finsync_erp',
      schema: 'public',
      table,
      snapshot: false,
      committedAt: '2026-05-04T09:00:00.000Z',
      position: { kind: 'wal', commitLsn: String(at), changeLsn: String(at), txId: null },
    },
  };
}

const invoice = (id: number, over: Readonly<Record<string, FieldValue>> = {}): RowImage => ({
  id,
  type: 'in',
  number: null,
  reference: null,
  description: null,
  state: 'draft',
  company: 1,
  currency: 1,
  invoice_date: '2026-05-04',
  accounting_date: null,
  create_date: '2026-05-04T08:59:00.000000',
  party: 7,
  move: null,
  account: 12,
  journal: 2,
  ...over,
});
const line = (id: number, invoiceId: number, quantity: number, unitPrice: string, account = 18): RowImage => ({
  id,
  invoice: invoiceId,
  type: 'line',
  sequence: null,
  description: 'licences',
  account,
  quantity,
  unit_price: unitPrice,
  currency: 1,
  company: 1,
});
const tax = (id: number, invoiceId: number, base: string, amount: string): RowImage => ({
  id,
  invoice: invoiceId,
  description: 'VAT 19%',
  base,
  amount,
  account: 14,
  tax: 1,
  manual: false,
});

describe("the ERP's side: Tryton's invoices and payments as canonical records", () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let ctx: ApplyContext;
  let vendorId: string;

  const batch = async (events: RowChange[]): Promise<Applied> => {
    const client: PoolClient = await pool.connect();
    try {
      await client.query('begin');
      const applied = await applyChanges(
        client,
        ctx,
        events.map((e) => planChange(e, mappingRules, ctx.reference.translations)),
      );
      await client.query('commit');
      if (applied.referenceChanged) ctx = { ...ctx, reference: await loadReferenceCache(pool) };
      return applied;
    } catch (err) {
      await client.query('rollback');
      throw err;
    } finally {
      client.release();
    }
  };
  const one = async <T extends Record<string, unknown>>(sql: string, values: unknown[] = []) =>
    (await pool.query<T>(sql, values)).rows[0];
  const erpInvoice = (sourceId: number) =>
    one<Record<string, unknown>>(
      `select state, status, untaxed_amount::text, tax_amount::text, total_amount::text, line_count, role,
              canonical_id::text, deleted_at_source from erp_invoice where source_id = $1`,
      [String(sourceId)],
    );
  const reference = (table: string, sourceId: number) =>
    one<Record<string, unknown>>(
      `select object_type, canonical_id::text, role from source_reference where system = 'erp' and source_table = $1 and source_id = $2`,
      [table, String(sourceId)],
    );

  beforeAll(async () => {
    db = await scratchDatabase('erpside');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    await loadReferenceData(pool);
    ctx = { mappingRules, validationRules, reference: await loadReferenceCache(pool) };
    // The ERP's party 7 (a vendor through CDC) and its chart: 6300 (18), 2100 (12), 2300 (14).
    const account = (id: number, code: string, type: number): RowImage => ({
      id,
      code,
      name: code,
      closed: false,
      type,
      company: 1,
      party_required: code === '2100',
    });
    await batch([
      change('party_party', 'read', {
        id: 7,
        name: 'Nordwind Logistik GmbH',
        code: '7',
        active: true,
        replaced_by: null,
      }),
      change('account_account', 'read', account(18, '6300', 16)),
      change('account_account', 'read', account(12, '2100', 13)),
      change('account_account', 'read', account(14, '2300', 14)),
    ]);
    vendorId = (await one<{ id: string }>(`select id from vendor where name = 'Nordwind Logistik GmbH'`))!.id;
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  it('leaves out the party of the FS-US company, known by its code', async () => {
    const applied = await batch([
      change('party_party', 'read', { id: 40, name: 'FinSync Inc.', code: 'FS-US', active: true, replaced_by: null }),
    ]);
    expect(applied.outcomes).toEqual(['IGNORED']);
  });

  it("links a posted invoice as the TARGET side of the posting's invoice, with Tryton's totals", async () => {
    const canonical = await one<{ id: string; correlation_id: string }>(
      `insert into invoice (legal_entity_id, type, number, vendor_id, issue_date, fiscal_year, currency, sub_total,
                            total_tax_amount, total_amount, balance, status)
       values ('FS-EU', 'ACCOUNTS_PAYABLE', 'PI-77', $1, '2026-05-04', 2026, 'EUR', 200, 38, 238, 238, 'OPEN')
       returning id, correlation_id`,
      [vendorId],
    );
    const postingId = randomUUID();
    await pool.query(
      `insert into posting (id, kind, legal_entity_id, status, body, body_hash, amount, currency, idempotency_scope,
                            idempotency_key, preparer, source_document_type, source_document_id, erp_reference, correlation_id)
       values ($1::uuid, 'INVOICE', 'FS-EU', 'POSTED', '{}', 'h', 238, 'EUR', 's', $1::text, 'alice', 'INVOICE', $2, $3, $4)`,
      [postingId, canonical!.id, `finsync:${postingId}`, canonical!.correlation_id],
    );
    // Draft with its line (create), then its tax (Tryton's write), then posted: three transactions.
    const applied = await batch([
      change('account_invoice', 'create', invoice(501, { reference: `finsync:${postingId}` })),
      change('account_invoice_line', 'create', line(601, 501, 2, '100.0000')),
    ]);
    expect(applied.outcomes).toEqual(['APPLIED', 'APPLIED']);
    await batch([change('account_invoice_tax', 'create', tax(701, 501, '200.00', '38.00'))]);
    await batch([
      change(
        'account_invoice',
        'update',
        invoice(501, { reference: `finsync:${postingId}`, state: 'posted', number: '12', move: 900 }),
      ),
    ]);
    expect(await erpInvoice(501)).toEqual({
      state: 'posted',
      status: 'OPEN',
      untaxed_amount: '200.0000',
      tax_amount: '38.0000',
      total_amount: '238.0000',
      line_count: 1,
      role: 'TARGET',
      canonical_id: canonical!.id,
      deleted_at_source: false,
    });
    expect(await reference('public.account_invoice', 501)).toEqual({
      object_type: 'INVOICE',
      canonical_id: canonical!.id,
      role: 'TARGET',
    });
    // The posted invoice is not a second canonical invoice.
    expect((await one<{ n: number }>(`select count(*)::int as n from invoice`))!.n).toBe(1);

    // Paid in Tryton: the supplier invoice is paid in finsync (the ERP records supplier payments).
    const paid = await batch([
      change(
        'account_invoice',
        'update',
        invoice(501, { reference: `finsync:${postingId}`, state: 'paid', number: '12', move: 900 }),
      ),
    ]);
    expect(await one(`select status, balance::text from invoice where id = $1`, [canonical!.id])).toEqual({
      status: 'PAID',
      balance: '0.0000',
    });
    expect(paid.events.map((e) => [e.aggregateId, e.eventType, e.newStatus])).toEqual(
      expect.arrayContaining([
        [canonical!.id, 'INVOICE_ERP_CHANGED', null],
        [canonical!.id, 'INVOICE_CHANGED', 'PAID'],
      ]),
    );
  });

  it('makes an invoice entered in Tryton a canonical invoice of system erp, with its lines and totals', async () => {
    await batch([
      change(
        'account_invoice',
        'create',
        invoice(502, { reference: 'NW-2026-118', state: 'posted', number: '13', move: 901 }),
      ),
      change('account_invoice_line', 'create', line(602, 502, 3, '33.3350')),
      change('account_invoice_line', 'create', {
        ...line(603, 502, 0, '0'),
        type: 'comment',
        quantity: null,
        unit_price: null,
      }),
      change('account_invoice_tax', 'create', tax(702, 502, '100.01', '19.00')),
    ]);
    const side = await erpInvoice(502);
    // 3 × 33.335 = 100.005 → 100.00 (half to even, as Tryton rounds), + 19.00 tax.
    expect(side).toMatchObject({ role: 'SOURCE', untaxed_amount: '100.0000', total_amount: '119.0000', line_count: 1 });
    const canonical = await one<Record<string, unknown>>(
      `select i.id::text, i.type, i.number, i.vendor_id::text, i.total_amount::text, i.status, i.memo,
              array(select l.total_amount::text || ' ' || a.code from invoice_line l join account a on a.id = l.account_id
                     where l.invoice_id = i.id) as lines
         from invoice i where i.id = $1`,
      [side!.canonical_id],
    );
    expect(canonical).toEqual({
      id: side!.canonical_id,
      type: 'ACCOUNTS_PAYABLE',
      number: '13',
      vendor_id: vendorId,
      total_amount: '119.0000',
      status: 'OPEN',
      memo: null,
      lines: ['100.0000 6300'],
    });
    expect(await reference('public.account_invoice', 502)).toEqual({
      object_type: 'INVOICE',
      canonical_id: side!.canonical_id,
      role: 'SOURCE',
    });

    // Its tax removed in Tryton: the totals follow.
    await batch([change('account_invoice_tax', 'delete', tax(702, 502, '100.01', '19.00'))]);
    expect(await one(`select total_amount::text from invoice where id = $1`, [side!.canonical_id])).toEqual({
      total_amount: '100.0000',
    });
  });

  it('pays an ERP invoice with a payment entered in Tryton: a canonical payment, allocated, the invoice paid', async () => {
    // The invoice's move and its payable line (Tryton writes them when it posts the invoice).
    const move = {
      id: 901,
      company: 1,
      date: '2026-05-04',
      description: null,
      journal: 2,
      number: '901',
      origin: 'account.invoice,502',
      period: 5,
      post_date: '2026-05-04',
      post_number: '88',
      state: 'posted',
    };
    const moveLine = (id: number, account: number, debit: string, credit: string): RowImage => ({
      id,
      move: 901,
      account,
      debit,
      credit,
      description: null,
      party: 7,
      state: 'valid',
      amount_second_currency: null,
      second_currency: null,
      maturity_date: null,
      origin: null,
      reconciliation: null,
    });
    await batch([
      change('account_move', 'create', move),
      change('account_move_line', 'create', moveLine(951, 12, '0', '100.00')),
      change('account_move_line', 'create', moveLine(952, 18, '100.00', '0')),
    ]);
    const payment = (state: string): RowImage => ({
      id: 801,
      company: 1,
      kind: 'payable',
      party: 7,
      amount: '100.00',
      date: '2026-05-10',
      state,
      line: 951,
      description: 'NW-2026-118',
      journal: 1,
      origin: null,
    });
    await batch([change('account_payment', 'create', payment('approved'))]);
    const side = (await one<{ id: string; canonical_id: string }>(
      `select id::text, canonical_id::text from erp_invoice where source_id = '502'`,
    ))!;
    expect(
      await one(`select role, invoice_source_id, currency, status from erp_payment where source_id = '801'`),
    ).toEqual({
      role: 'SOURCE',
      invoice_source_id: '502',
      currency: 'EUR',
      status: 'PENDING',
    });
    await batch([change('account_payment', 'update', payment('succeeded'))]);
    const canonicalPayment = await one<Record<string, unknown>>(
      `select p.direction, p.vendor_id::text, p.total_amount::text, p.status, a.invoice_id::text
         from payment p join payment_allocation a on a.payment_id = p.id where p.id = (select id from erp_payment where source_id = '801')`,
    );
    expect(canonicalPayment).toEqual({
      direction: 'OUTBOUND',
      vendor_id: vendorId,
      total_amount: '100.0000',
      status: 'SETTLED',
      invoice_id: side.canonical_id,
    });
    expect(await erpInvoice(502)).toMatchObject({ status: 'PAID' });
    expect(await one(`select status, balance::text from invoice where id = $1`, [side.canonical_id])).toEqual({
      status: 'PAID',
      balance: '0.0000',
    });
  });

  it("keeps on the ERP's side only what it cannot link: another finsync's posting, a party that is no customer", async () => {
    await batch([
      change(
        'account_invoice',
        'create',
        invoice(503, { reference: `finsync:${randomUUID()}`, state: 'posted', number: '14' }),
      ),
      change('account_invoice', 'create', invoice(504, { type: 'out', state: 'posted', number: '15' })),
    ]);
    for (const id of [503, 504]) {
      expect(await erpInvoice(id)).toMatchObject({ role: null, canonical_id: null });
      expect(await reference('public.account_invoice', id)).toMatchObject({ object_type: 'ERP_INVOICE' });
    }
  });

  it('changes nothing when the same changes come again', async () => {
    const before = await one<Record<string, unknown>>(
      `select (select count(*)::int from invoice) as invoices, (select sum(version)::int from invoice) as versions,
              (select count(*)::int from payment) as payments, (select count(*)::int from payment_allocation) as allocations,
              (select sum(version)::int from erp_invoice) as erp_versions`,
    );
    const applied = await batch([
      change(
        'account_invoice',
        'update',
        invoice(502, { reference: 'NW-2026-118', state: 'posted', number: '13', move: 901 }),
        9_000_100,
      ),
    ]);
    expect(applied.outcomes).toEqual(['SKIPPED']);
    expect(
      await one(
        `select (select count(*)::int from invoice) as invoices, (select sum(version)::int from invoice) as versions,
                (select count(*)::int from payment) as payments, (select count(*)::int from payment_allocation) as allocations,
                (select sum(version)::int from erp_invoice) as erp_versions`,
      ),
    ).toEqual(before);
  });
});
