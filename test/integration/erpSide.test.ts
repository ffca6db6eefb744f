/**
 * The ERP's side comes back (issue 12), on the real stack and through the gateway, where a finance person looks:
 * a supplier invoice written into the procurement source becomes canonical, is posted into Tryton, and Tryton's
 * invoice comes back through Debezium as its ERP side (`invoiceBySourceReference(system: "erp")` answers, with
 * Tryton's totals) — reconciliation IN_SYNC; a direct edit of Tryton's tables (an amount, a cancellation) shows
 * as a MISMATCH with its reason; an invoice paid with Tryton's own pay wizard is PAID in finsync; a payment entered
 * in Tryton arrives as a canonical payment linked to the invoice it pays.
 */
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { loadReferenceData } from '../../canonical-schema/reference/loadReferenceData';
import { loadCdcConfig } from '../../cdc/config';
import { startCdc, type RunningCdc } from '../../cdc/startCdc';
import { ensureTrytonReference } from '../../erp/tryton/ensureTrytonReference';
import { trytonDate, trytonDecimal } from '../../erp/tryton/trytonJson';
import { runPostingWorker } from '../../erp/worker/runPostingWorker';
import { runVendorOnboarding } from '../../flows/vendorOnboarding/runVendorOnboarding';
import { brandWord } from '../../stack/seed/names';
import { changeTopicEnds, storeGroupOffsets } from '../support/changeTopicOffsets';
import { startFederation, type FederationStack } from '../support/federationStack';
import { erpConfig, tryton } from '../support/postingHarness';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { invoiceDateInTryton } from '../support/invoiceDateInTryton';
import { gql } from '../support/seededFederation';
import { stackEnv } from '../support/stackEnv';
import { bearer } from '../support/tokens';
import { freshGermanIban, freshGermanVat, insertSupplier } from '../support/vendorOnboarding';
import { waitFor } from '../support/waitFor';

const tag = randomUUID().slice(0, 6).toUpperCase();
const PREFIX = `ES${tag}-`;

const INVOICE = `query($id: ID!) { invoice(id: $id) {
  id number status totalAmount { amount currency }
  erpDocument { system sourceTable sourceId role state status reference postingId
    subTotal { amount } totalTaxAmount { amount } totalAmount { amount currency } paidAmount { amount } }
  reconciliation { status erpStatus differences { reason stages status message } }
} }`;

const RECONCILIATION = `query($p: String!, $n: String) {
  reconciliation(flow: "PROCUREMENT_SUPPLIER_INVOICES", legalEntityId: "FS-EU", period: $p, numberPrefix: $n) {
    status stages { stage status count totals { currency count sum { amount } } }
    differences { reason stages status message number canonicalValue erpValue }
  }
}`;

interface Invoice {
  id: string;
  status: string;
  erpDocument: null | {
    sourceId: string;
    role: string;
    state: string;
    status: string;
    reference: string;
    totalAmount: { amount: string; currency: string };
  };
  reconciliation: { status: string; erpStatus: string; differences: Array<{ reason: string; message: string }> };
}

describe("the ERP's side through the gateway: Tryton's invoices and payments come back", () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let procurement: Client;
  let erpDb: Client;
  let cdc: RunningCdc;
  let fed: FederationStack;
  let worker: { stop(): Promise<void> };
  let accountant: Record<string, string>;
  const erp = tryton();
  let supplierCode: string;
  let onboarding: { stop(): Promise<void> };
  /** The date of the invoices this run writes: Tryton numbers invoices in date order (invoiceDateInTryton). */
  let date = '2026-11-05';

  const query = async <T>(q: string, variables: Record<string, unknown>, headers?: Record<string, string>) => {
    const body = await gql<T>(fed.gatewayUrl, q, variables, headers);
    expect(body.errors).toBeUndefined();
    return body.data!;
  };
  const invoice = async (id: string) => (await query<{ invoice: Invoice }>(INVOICE, { id })).invoice;

  /** A supplier invoice of 2 × 100.00 + VAT 19% in procurement; its canonical invoice's id once CDC applied it. */
  async function supplierInvoice(n: number): Promise<string> {
    const number = `${PREFIX}PI-${n}`;
    date = await invoiceDateInTryton(erp, 1, '2026-11-05');
    const { rows } = await procurement.query<{ id: string }>(
      `insert into supplier_invoice (supplier_ref, number, amount, tax_amount, currency, invoice_date, status, legal_entity)
       values ($1, $2, 238.00, 38.00, 'EUR', $3, 'APPROVED', 'FS-EU') returning id`,
      [supplierCode, number, date],
    );
    await procurement.query(
      `insert into supplier_invoice_line (supplier_invoice_id, line_no, description, account_code, cost_center, tax_code, quantity, unit_price, amount)
       values ($1, 1, 'licences', '6300', 'CC-100', 'VAT19', 2, 100.00, 200.00)`,
      [rows[0]!.id],
    );
    let id: string | null = null;
    await waitFor(
      async () => {
        const found = await gql<{ invoiceBySourceReference: { id: string; lines: unknown[] } | null }>(
          fed.gatewayUrl,
          `query($s: String!) { invoiceBySourceReference(system: "procurement", sourceId: $s) { id lines { lineNumber } } }`,
          { s: rows[0]!.id },
        );
        id = found.data?.invoiceBySourceReference?.lines.length ? found.data.invoiceBySourceReference.id : null;
        return id !== null;
      },
      60_000,
      `supplier invoice ${number} in the canonical store`,
    );
    return id!;
  }

  /** Posts a canonical invoice through the gateway and waits until its ERP side came back through CDC. */
  async function postAndCapture(id: string): Promise<{ postingId: string; erp: NonNullable<Invoice['erpDocument']> }> {
    const posted = await query<{ postInvoice: { posting: { id: string } | null; userErrors: unknown[] } }>(
      `mutation($id: ID!, $key: String!) { postInvoice(id: $id, idempotencyKey: $key) {
        posting { id status } userErrors { code field message } } }`,
      { id, key: `erpside-${id}` },
      accountant,
    );
    expect(posted.postInvoice.userErrors).toEqual([]);
    let side: Invoice['erpDocument'] = null;
    await waitFor(
      async () => {
        side = (await invoice(id)).erpDocument;
        return side?.state === 'posted';
      },
      60_000,
      `the ERP's side of invoice ${id}`,
    );
    return { postingId: posted.postInvoice.posting!.id, erp: side! };
  }

  const reconciliation = async () =>
    (
      await query<{
        reconciliation: {
          status: string;
          stages: Array<{ stage: string; status: string; count: number | null; totals: unknown[] }>;
          differences: Array<{ reason: string; stages: string[]; status: string; message: string; number: string }>;
        };
      }>(RECONCILIATION, { p: date.slice(0, 7), n: PREFIX })
    ).reconciliation;

  beforeAll(async () => {
    db = await scratchDatabase('erp_side');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 4 });
    await loadReferenceData(pool);
    await ensureTrytonReference(erp, erpConfig.trytonSettings.companies);
    const groupId = `finsync-test-erpside-${tag}`;
    // From the change topics' end, but the ERP's chart from its beginning: an ERP move line needs its account to be
    // canonical (a Tryton payment finds the invoice it pays through its move line).
    const ends = await changeTopicEnds();
    for (const key of [...ends.keys()]) if (key.startsWith('erp.public.account_account:')) ends.delete(key);
    await storeGroupOffsets(pool, groupId, ends);
    const eventsTopic = `finsync.test.erpside.${tag}`;
    cdc = await startCdc({ ...loadCdcConfig({}), databaseUrl: db.url, groupId, eventsTopic }, pino({ level: 'warn' }));
    await cdc.joined;
    fed = await startFederation({ databaseUrl: db.url, eventsTopic });
    worker = runPostingWorker({
      pool,
      erp,
      erpTimeoutMs: 10_000,
      logger: pino({ level: 'silent' }),
      settings: { ...erpConfig.worker, workerId: `erpside-${tag}`, idleMs: 100, backoffMs: 100, maxBackoffMs: 500 },
    });
    accountant = {
      authorization: await bearer({
        subject: `ap-${tag}@finsync.test`,
        roles: ['accountant'],
        legalEntities: ['FS-EU'],
      }),
    };
    procurement = new Client({ ...stackEnv.procurementPg });
    await procurement.connect();
    erpDb = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'finsync_erp' });
    await erpDb.connect();
    // The supplier is onboarded the real way (checks, its Tryton party, acknowledged back through CDC): a supplier
    // invoice posts once its vendor is activated.
    onboarding = runVendorOnboarding({
      pool,
      erp,
      logger: pino({ level: 'warn' }),
      intervalMs: 200,
      sourceIdPrefix: PREFIX,
    });
    supplierCode = `${PREFIX}SUP`;
    await insertSupplier(procurement, {
      code: supplierCode,
      name: `${brandWord(tag, 1)} ${brandWord(tag, 2)} Handel ${tag}`,
      taxId: freshGermanVat(),
      iban: freshGermanIban(),
    });
  }, 180_000);

  afterAll(async () => {
    await onboarding?.stop();
    await worker?.stop();
    await fed?.stop();
    await cdc?.stop();
    await procurement?.end();
    await erpDb?.end();
    await pool?.end();
    await db?.drop();
  });

  let first: { id: string; trytonId: string };

  it('brings a posted supplier invoice back as its ERP side: invoiceBySourceReference(erp) answers, IN_SYNC', async () => {
    const id = await supplierInvoice(1);
    const { postingId, erp: side } = await postAndCapture(id);
    first = { id, trytonId: side.sourceId };
    expect(await invoice(id)).toMatchObject({
      status: 'OPEN',
      erpDocument: {
        system: 'erp',
        sourceTable: 'public.account_invoice',
        role: 'TARGET',
        state: 'posted',
        status: 'OPEN',
        reference: `finsync:${postingId}`,
        postingId,
        subTotal: { amount: '200.00' },
        totalTaxAmount: { amount: '38.00' },
        totalAmount: { amount: '238.00', currency: 'EUR' },
      },
      reconciliation: { status: 'IN_SYNC', erpStatus: 'AVAILABLE', differences: [] },
    });
    const byErp = await query<{ invoiceBySourceReference: { id: string } | null }>(
      `query($s: String!) { invoiceBySourceReference(system: "erp", sourceId: $s, sourceTable: "public.account_invoice") { id } }`,
      { s: side.sourceId },
    );
    expect(byErp.invoiceBySourceReference).toEqual({ id });
    await waitFor(async () => (await reconciliation()).status === 'IN_SYNC', 30_000, 'reconciliation IN_SYNC');
    const r = await reconciliation();
    expect(r.stages.find((s) => s.stage === 'ERP')).toEqual({
      stage: 'ERP',
      status: 'AVAILABLE',
      count: 1,
      totals: [{ currency: 'EUR', count: 1, sum: { amount: '238.00' } }],
    });
  });

  it("shows a direct edit of Tryton's tables as a MISMATCH with its reason, within seconds", async () => {
    // The line's price changed behind Tryton's back: its amount (and so the invoice's total) is no longer procurement's.
    await erpDb.query(`update account_invoice_line set unit_price = 105 where invoice = $1`, [Number(first.trytonId)]);
    const number = `${PREFIX}PI-1`;
    await waitFor(async () => (await reconciliation()).status === 'MISMATCH', 30_000, 'the amount difference');
    let r = await reconciliation();
    expect(r.differences.map((d) => [d.reason, d.stages, d.status, d.message])).toEqual([
      [
        'AMOUNT_DIFFERS',
        ['CANONICAL', 'ERP'],
        'MISMATCH',
        expect.stringMatching(
          new RegExp(
            `^${number} \\(procurement public\\.supplier_invoice \\d+\\): amount in the ERP 248\\.00, in procurement 238\\.00 \\(EUR; Tryton invoice \\d+\\)\\.$`,
          ),
        ),
      ],
    ]);
    // Cancelled in Tryton as well.
    await erpDb.query(`update account_invoice set state = 'cancelled' where id = $1`, [Number(first.trytonId)]);
    await waitFor(
      async () => (await reconciliation()).differences.some((d) => d.reason === 'STATUS_DIFFERS'),
      30_000,
      'the status difference',
    );
    r = await reconciliation();
    expect(r.differences.find((d) => d.reason === 'STATUS_DIFFERS')!.message).toMatch(
      /: cancelled in the ERP, open in procurement \(Tryton invoice \d+\)\.$/,
    );
    expect((await invoice(first.id)).reconciliation.status).toBe('MISMATCH');
  });

  it("shows a supplier invoice paid with Tryton's pay wizard as PAID in finsync, still in sync with procurement", async () => {
    const id = await supplierInvoice(2);
    const { erp: side } = await postAndCapture(id);
    const trytonId = Number(side.sourceId);
    // As a finance user pays it in Tryton: the invoice's Pay wizard, into the bank account.
    const ctx = { company: 1, active_id: trytonId, active_ids: [trytonId], active_model: 'account.invoice' };
    const [session] = await erp.client.read<[number]>('wizard.account.invoice.pay.create', [], ctx);
    const start = await erp.client.read<{ view: { defaults: { amount: string; currency: number } } }>(
      'wizard.account.invoice.pay.execute',
      [session, {}, 'start'],
      ctx,
    );
    const [method] = await erp.client.read<number[]>('model.account.invoice.payment.method.search', [
      [
        ['company', '=', 1],
        ['name', '=', 'finsync bank'],
      ],
      0,
      1,
      null,
    ]);
    const paid = await erp.client.call(
      'wizard.account.invoice.pay.execute',
      [
        session,
        {
          start: {
            amount: trytonDecimal(start.view.defaults.amount),
            currency: start.view.defaults.currency,
            description: `paid in Tryton ${tag}`,
            date: trytonDate(date),
            payment_method: method,
          },
        },
        'choice',
      ],
      ctx,
    );
    expect(paid.ok).toBe(true);
    await erp.client.call('wizard.account.invoice.pay.delete', [session], ctx);
    await waitFor(async () => (await invoice(id)).status === 'PAID', 30_000, 'the invoice paid in finsync');
    expect(await invoice(id)).toMatchObject({
      status: 'PAID',
      erpDocument: { state: 'paid', status: 'PAID' },
      reconciliation: { status: 'IN_SYNC', differences: [] },
    });
  });

  it('brings a payment entered in Tryton back as a canonical payment, linked to the invoice it pays', async () => {
    const id = await supplierInvoice(3);
    const { erp: side } = await postAndCapture(id);
    const [inv] = await erp.client.read<Array<{ move: number; party: number }>>('model.account.invoice.read', [
      [Number(side.sourceId)],
      ['move', 'party'],
    ]);
    const [line] = await erp.client.read<number[]>('model.account.move.line.search', [
      [
        ['move', '=', inv!.move],
        ['account.code', '=', '2100'],
      ],
      0,
      1,
      null,
    ]);
    const [journal] = await erp.client.read<number[]>('model.account.payment.journal.search', [
      [
        ['company', '=', 1],
        ['name', '=', 'finsync payments EUR'],
      ],
      0,
      1,
      null,
    ]);
    const [paymentId] = await erp.client.read<number[]>(
      'model.account.payment.create',
      [
        [
          {
            company: 1,
            journal,
            kind: 'payable',
            party: inv!.party,
            line,
            amount: trytonDecimal('100.00'),
            date: trytonDate(date),
            description: `first instalment ${tag}`,
          },
        ],
      ],
      { company: 1 },
    );
    await erp.client.read('model.account.payment.approve', [[paymentId]], { company: 1 });
    const PAYMENT = `query($s: String!) { paymentBySourceReference(system: "erp", sourceId: $s) {
      id direction status totalAmount { amount currency } reference
      erpDocument { role state status amount { amount } invoice { id } invoiceSourceId } } }`;
    type Payment = {
      id: string;
      status: string;
      erpDocument: { role: string; state: string; invoice: { id: string } | null } | null;
    };
    let payment: Payment | null = null;
    await waitFor(
      async () => {
        payment = (await query<{ paymentBySourceReference: Payment | null }>(PAYMENT, { s: String(paymentId) }))
          .paymentBySourceReference;
        return payment?.erpDocument?.state === 'approved';
      },
      30_000,
      'the Tryton payment in finsync',
    );
    expect(payment).toMatchObject({
      direction: 'OUTBOUND',
      status: 'PENDING',
      totalAmount: { amount: '100.00', currency: 'EUR' },
      reference: `first instalment ${tag}`,
      erpDocument: {
        role: 'SOURCE',
        state: 'approved',
        status: 'PENDING',
        invoice: { id },
        invoiceSourceId: side.sourceId,
      },
    });
    // It succeeds in Tryton (as its bank run reports): the invoice is partly paid on both sides.
    await erpDb.query(`update account_payment set state = 'succeeded' where id = $1`, [paymentId]);
    await waitFor(async () => (await invoice(id)).status === 'PARTIALLY_PAID', 30_000, 'the invoice partly paid');
    expect(await invoice(id)).toMatchObject({
      erpDocument: { status: 'PARTIALLY_PAID' },
      reconciliation: { status: 'IN_SYNC' },
    });
  });
});
