/**
 * Every source amount is exact, alone and summed (issue 11). The largest amount each money column of the sources
 * allows — numeric(18,2): 9,999,999,999,999,999.99 — and the smallest, 0.01, are written into the real billing
 * (MariaDB), procurement and payroll (Postgres) databases by the seed's own writers; Debezium captures them, the CDC
 * pipeline (in this process, a scratch canonical database) applies them, and every figure is read back through the
 * real gateway: amounts, balances, document totals (a payroll journal of 151 debit lines, 1,499,999,999,999,999,998.51
 * — beyond 20 significant digits, where decimal.js's default rounds), list totals and the reconciliation's control
 * totals, to the cent. A journal whose amounts the store cannot hold becomes AMOUNT_OUT_OF_RANGE exceptions naming the
 * record and the field; a journal posting of maximal amounts keeps its amount exact.
 */
import { Kafka, logLevel } from 'kafkajs';
import mysql from 'mysql2/promise';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { Decimal } from '../../canonical-schema/money/Decimal';
import { loadCdcConfig } from '../../cdc/config';
import { startCdc, type RunningCdc } from '../../cdc/startCdc';
import type { BillingInvoice, Dataset, PayrollLine } from '../../stack/seed/model';
import type { Progress } from '../../stack/seed/progress';
import { writeBilling } from '../../stack/seed/writeMariadb';
import { writePayroll, writeProcurement } from '../../stack/seed/writePostgres';
import { changeTopicEnds, storeGroupOffsets } from '../support/changeTopicOffsets';
import { startFederation, type FederationStack } from '../support/federationStack';
import { freshSeed } from '../support/runSeed';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { gql } from '../support/seededFederation';
import { stackEnv } from '../support/stackEnv';
import { waitFor } from '../support/waitFor';

/** The largest amount a numeric(18,2) / decimal(18,2) source column holds, and the smallest above zero. */
const MAX = '9999999999999999.99';
const CENT = '0.01';
/** The largest quantity a numeric(18,4) source column holds. */
const MAX_QUANTITY = '99999999999999.9999';
/** Debit lines of the large payroll journal: enough maximal ones that its total needs 21 significant digits. */
const MAXIMAL_LINES = 150;
/** An amount with 35 digits before the point: one more than the canonical store holds (NUMERIC(38,4)). */
const TOO_LARGE = '12345678901234567890123456789012345.00';

const seed = freshSeed();
const P = `M${seed}-`;
const sum = (...amounts: string[]) => amounts.reduce((s, a) => s.plus(a), new Decimal(0)).toFixed(2);

const silent: Progress = { start() {}, advance() {}, finish() {}, note() {}, stop() {} };

/** The rows this test writes into the sources: each money column at its maximum, and a cent. */
function dataset(): Dataset {
  const customer = `${P}CUST`;
  const billing = (
    number: string,
    amounts: { subtotal: string; tax_total: string; total: string },
    lines: BillingInvoice['lines'],
    extra: Partial<Pick<BillingInvoice, 'payments' | 'credit_memos'>> = {},
  ): BillingInvoice => ({
    number: `${P}${number}`,
    customer_code: customer,
    ...amounts,
    currency: 'USD',
    issue_date: '2026-03-10',
    due_date: '2026-04-09',
    legal_entity: 'FS-US',
    status: 'issued',
    lines,
    payments: [],
    credit_memos: [],
    ...extra,
  });
  const line = (quantity: string, unit_price: string, amount: string) => ({
    line_no: 1,
    product_code: 'SUB-PRO',
    description: 'Subscription',
    quantity,
    unit_price,
    amount,
    tax_code: 'US-EXEMPT',
  });
  const payment = (reference: string, amount: string) => ({
    reference: `${P}${reference}`,
    customer_code: customer,
    amount,
    currency: 'USD',
    paid_at: '2026-03-20',
    method: 'wire',
    status: 'settled' as const,
    legal_entity: 'FS-US',
  });
  const supplier = `${P}SUP`;
  const supplierInvoice = (number: string, amount: string, tax_amount: string, lines: string[]) => ({
    supplier_ref: supplier,
    number: `${P}${number}`,
    amount,
    currency: 'EUR',
    invoice_date: '2026-03-10',
    approved_at: '2026-03-11T09:00:00Z',
    legal_entity: 'FS-EU',
    po_number: null,
    tax_amount,
    due_date: '2026-04-09',
    status: 'APPROVED' as const,
    lines: lines.map((a, i) => ({
      line_no: i + 1,
      description: 'Hosting',
      account_code: '5000',
      cost_center: null,
      tax_code: 'VAT19',
      quantity: '1',
      unit_price: a,
      amount: a,
    })),
  });
  const payrollLine = (line_no: number, debit: string, credit: string): PayrollLine =>
    debit === '0.00'
      ? { line_no, gl_account: '2200', cost_center: null, description: 'Net pay payable', debit, credit }
      : { line_no, gl_account: '6100', cost_center: 'CC-ENG', description: 'Gross salaries', debit, credit };
  const debits = [...Array.from({ length: MAXIMAL_LINES }, () => MAX), CENT];
  const payroll = (run: string, periodEnd: string, lines: PayrollLine[]) => ({
    run_code: `${P}${run}`,
    legal_entity: 'FS-EU',
    period_start: `${periodEnd.slice(0, 8)}01`,
    period_end: periodEnd,
    pay_date: periodEnd,
    currency: 'EUR',
    status: 'RELEASED' as const,
    lines,
  });
  return {
    seed,
    prefix: P,
    size: 0,
    procurement: {
      suppliers: [
        {
          supplier_code: supplier,
          legal_name: `Maximal Hosting ${seed} GmbH`,
          tax_id: `DE${seed}MAX`,
          iban: null,
          country: 'DE',
          email: `ap-${seed}@maximal.example`,
          onboarding_status: 'APPROVED',
          currency: 'EUR',
          legal_entity: 'FS-EU',
        },
      ],
      purchaseOrders: [],
      supplierInvoices: [
        supplierInvoice('SI-1', MAX, '0.00', [MAX]),
        // Tax only: the tax column at its maximum.
        supplierInvoice('SI-2', MAX, MAX, []),
        supplierInvoice('SI-3', CENT, '0.00', [CENT]),
      ],
    },
    payroll: {
      journals: [
        payroll('PR-1', '2026-03-31', [
          ...debits.map((d, i) => payrollLine(i + 1, d, '0.00')),
          ...debits.map((c, i) => payrollLine(debits.length + i + 1, '0.00', c)),
        ]),
        // Amounts the canonical store cannot hold: a digit too many, a fifth decimal (balanced all the same).
        payroll('PR-2', '2026-04-30', [
          payrollLine(1, TOO_LARGE, '0.00'),
          payrollLine(2, '100.00001', '0.00'),
          payrollLine(3, '0.00', TOO_LARGE),
          payrollLine(4, '0.00', '100.00001'),
        ]),
      ],
    },
    billing: {
      customers: [
        {
          customer_code: customer,
          name: `Maximal Customer ${seed}`,
          tax_id: `US${seed}MAX`,
          email: `billing-${seed}@maximal.example`,
          currency: 'USD',
          legal_entity: 'FS-US',
          status: 'active',
        },
      ],
      invoices: [
        billing('INV-1', { subtotal: MAX, tax_total: '0.00', total: MAX }, [line('1.0000', MAX, MAX)], {
          payments: [payment('PAY-1', MAX)],
          credit_memos: [
            {
              number: `${P}CM-1`,
              customer_code: customer,
              invoice_number: `${P}INV-1`,
              total: MAX,
              currency: 'USD',
              issue_date: '2026-03-15',
              legal_entity: 'FS-US',
              reason: 'Refund in full',
            },
          ],
        }),
        // The largest quantity: 99,999,999,999,999.9999 × 100.00 is the largest amount.
        billing('INV-2', { subtotal: MAX, tax_total: '0.00', total: MAX }, [line(MAX_QUANTITY, '100.00', MAX)]),
        // Tax only: the tax column at its maximum; a cent paid on it.
        billing('INV-3', { subtotal: '0.00', tax_total: MAX, total: MAX }, [], { payments: [payment('PAY-2', CENT)] }),
        billing('INV-4', { subtotal: CENT, tax_total: '0.00', total: CENT }, [line('1.0000', CENT, CENT)]),
      ],
    },
    anomalies: [],
    poison: null,
  };
}

interface Money {
  amount: string;
  currency: string;
}
interface Total {
  currency: string;
  count: number;
  sum: Money;
}

describe('money: the largest and smallest source amounts arrive exact through the gateway, sums included', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let cdc: RunningCdc;
  let fed: FederationStack;
  const eventsTopic = `finsync.test.money.events.${seed}`;
  const data = dataset();

  beforeAll(async () => {
    db = await scratchDatabase('money');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 2 });
    const groupId = `finsync-test-money-${seed}`;
    // From the change topics' end: this group reads this run's changes, not the history of earlier runs.
    await storeGroupOffsets(pool, groupId, await changeTopicEnds());
    cdc = await startCdc({ ...loadCdcConfig({}), databaseUrl: db.url, groupId, eventsTopic }, pino({ level: 'warn' }));
    await cdc.joined;
    fed = await startFederation({ databaseUrl: db.url, eventsTopic });

    const pg = (database: string) => new Client({ ...stackEnv.procurementPg, database });
    const procurement = pg('procurement');
    const payroll = pg('payroll');
    const billing = await mysql.createConnection({ ...stackEnv.billingMariadb });
    await Promise.all([procurement.connect(), payroll.connect()]);
    try {
      await writeProcurement(procurement, data, silent);
      await writePayroll(payroll, data, silent);
      await writeBilling(billing, data, silent);
    } finally {
      await Promise.all([procurement.end(), payroll.end(), billing.end()]);
    }

    await waitFor(
      async () => {
        const { rows } = await pool.query<Record<string, number>>(
          `select (select count(*) from invoice where number like $1 || '%')::int as invoices,
                  (select count(*) from invoice_line l join invoice i on i.id = l.invoice_id where i.number like $1 || '%')::int as lines,
                  (select count(*) from payment where reference like $1 || '%' and status = 'SETTLED')::int as payments,
                  (select count(*) from journal_entry where number like $1 || '%')::int as journals,
                  (select count(*) from exception where message like '%' || $1 || '%')::int as exceptions`,
          [P],
        );
        const n = rows[0]!;
        // 4 invoices + 1 credit note (billing), 3 supplier invoices; 5 lines; 2 payments; PR-1; PR-2's 4 exceptions.
        return n.invoices === 8 && n.lines === 5 && n.payments === 2 && n.journals === 1 && n.exceptions! >= 4;
      },
      90_000,
      `the rows of ${P} in the canonical store`,
      500,
    );
  }, 150_000);

  afterAll(async () => {
    await fed?.stop().catch(() => undefined);
    await cdc?.stop().catch(() => undefined);
    await pool?.end();
    await db?.drop();
    const admin = new Kafka({ brokers: [...stackEnv.kafkaBrokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [eventsTopic] }).catch(() => undefined);
    await admin.disconnect();
  });

  const query = async <T>(q: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const body = await gql<T>(fed.gatewayUrl, q, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  };

  it('holds every billing amount exactly: totals, tax, lines, the largest quantity, balances and the credit note', async () => {
    const { invoices } = await query<{
      invoices: {
        edges: Array<{
          node: {
            number: string;
            isCreditNote: boolean;
            status: string;
            subTotal: Money;
            totalTaxAmount: Money;
            totalAmount: Money;
            balance: Money;
            lines: Array<{ quantity: string; unitPrice: Money; totalAmount: Money }>;
          };
        }>;
        totals: Total[];
      };
    }>(
      `query($p: String!) {
        invoices(filter: { numberPrefix: $p, legalEntityId: ["FS-US"] }, sort: { field: NUMBER }) {
          edges { node { number isCreditNote status subTotal { amount currency } totalTaxAmount { amount currency }
            totalAmount { amount currency } balance { amount currency }
            lines { quantity unitPrice { amount currency } totalAmount { amount currency } } } }
          totals { currency count sum { amount currency } }
        }
      }`,
      { p: P },
    );
    const usd = (amount: string) => ({ amount, currency: 'USD' });
    expect(invoices.edges.map((e) => e.node)).toEqual([
      // The credit note: flagged, its amount as the source gives it (positive); docs/money.md.
      {
        number: `${P}CM-1`,
        isCreditNote: true,
        status: 'OPEN',
        subTotal: usd(MAX),
        totalTaxAmount: usd('0.00'),
        totalAmount: usd(MAX),
        balance: usd(MAX),
        lines: [],
      },
      {
        number: `${P}INV-1`,
        isCreditNote: false,
        status: 'PAID',
        subTotal: usd(MAX),
        totalTaxAmount: usd('0.00'),
        totalAmount: usd(MAX),
        balance: usd('0.00'),
        lines: [{ quantity: '1.000000', unitPrice: usd(MAX), totalAmount: usd(MAX) }],
      },
      {
        number: `${P}INV-2`,
        isCreditNote: false,
        status: 'OPEN',
        subTotal: usd(MAX),
        totalTaxAmount: usd('0.00'),
        totalAmount: usd(MAX),
        balance: usd(MAX),
        lines: [{ quantity: '99999999999999.999900', unitPrice: usd('100.00'), totalAmount: usd(MAX) }],
      },
      {
        number: `${P}INV-3`,
        isCreditNote: false,
        status: 'PARTIALLY_PAID',
        subTotal: usd('0.00'),
        totalTaxAmount: usd(MAX),
        totalAmount: usd(MAX),
        balance: usd('9999999999999999.98'),
        lines: [],
      },
      {
        number: `${P}INV-4`,
        isCreditNote: false,
        status: 'OPEN',
        subTotal: usd(CENT),
        totalTaxAmount: usd('0.00'),
        totalAmount: usd(CENT),
        balance: usd(CENT),
        lines: [{ quantity: '1.000000', unitPrice: usd(CENT), totalAmount: usd(CENT) }],
      },
    ]);
    // Invoices and the credit note, each with its amount as given: 4 × MAX + a cent.
    expect(invoices.totals).toEqual([{ currency: 'USD', count: 5, sum: usd(sum(MAX, MAX, MAX, MAX, CENT)) }]);
    expect(invoices.totals[0]!.sum.amount).toBe('39999999999999999.97');

    const { payments } = await query<{
      payments: { edges: Array<{ node: { reference: string; totalAmount: Money } }>; totals: Total[] };
    }>(
      `query($p: String!) {
        payments(filter: { referencePrefix: $p }) {
          edges { node { reference totalAmount { amount currency } } }
          totals { currency count sum { amount currency } }
        }
      }`,
      { p: P },
    );
    expect(payments.edges.map((e) => [e.node.reference, e.node.totalAmount.amount]).sort()).toEqual([
      [`${P}PAY-1`, MAX],
      [`${P}PAY-2`, CENT],
    ]);
    expect(payments.totals).toEqual([{ currency: 'USD', count: 2, sum: usd('10000000000000000.00') }]);
  });

  it('holds every procurement amount exactly: the gross amount, the tax and the lines', async () => {
    const { invoices } = await query<{
      invoices: {
        edges: Array<{
          node: {
            number: string;
            subTotal: Money;
            totalTaxAmount: Money;
            totalAmount: Money;
            lines: Array<{ unitPrice: Money; totalAmount: Money }>;
          };
        }>;
        totals: Total[];
      };
    }>(
      `query($p: String!) {
        invoices(filter: { numberPrefix: $p, legalEntityId: ["FS-EU"], type: ACCOUNTS_PAYABLE }, sort: { field: NUMBER }) {
          edges { node { number subTotal { amount currency } totalTaxAmount { amount currency } totalAmount { amount currency }
            lines { unitPrice { amount currency } totalAmount { amount currency } } } }
          totals { currency count sum { amount currency } }
        }
      }`,
      { p: P },
    );
    const eur = (amount: string) => ({ amount, currency: 'EUR' });
    expect(invoices.edges.map((e) => e.node)).toEqual([
      {
        number: `${P}SI-1`,
        subTotal: eur(MAX),
        totalTaxAmount: eur('0.00'),
        totalAmount: eur(MAX),
        lines: [{ unitPrice: eur(MAX), totalAmount: eur(MAX) }],
      },
      {
        number: `${P}SI-2`,
        subTotal: eur('0.00'),
        totalTaxAmount: eur(MAX),
        totalAmount: eur(MAX),
        lines: [],
      },
      {
        number: `${P}SI-3`,
        subTotal: eur(CENT),
        totalTaxAmount: eur('0.00'),
        totalAmount: eur(CENT),
        lines: [{ unitPrice: eur(CENT), totalAmount: eur(CENT) }],
      },
    ]);
    expect(invoices.totals).toEqual([{ currency: 'EUR', count: 3, sum: eur('19999999999999999.99') }]);
  });

  it('sums a payroll journal of 151 debit lines exactly, beyond 20 significant digits', async () => {
    const { journalEntries } = await query<{
      journalEntries: {
        edges: Array<{
          node: {
            number: string;
            totalDebits: Money[];
            totalCredits: Money[];
            lines: Array<{ debit: Money; credit: Money }>;
          };
        }>;
        totals: Total[];
      };
    }>(
      `query($p: String!) {
        journalEntries(filter: { numberPrefix: $p }) {
          edges { node { number totalDebits { amount currency } totalCredits { amount currency }
            lines { debit { amount currency } credit { amount currency } } } }
          totals { currency count sum { amount currency } }
        }
      }`,
      { p: P },
    );
    const total = '1499999999999999998.51';
    expect(sum(...Array.from({ length: MAXIMAL_LINES }, () => MAX), CENT)).toBe(total);
    const [entry] = journalEntries.edges.map((e) => e.node);
    expect(journalEntries.edges).toHaveLength(1);
    expect(entry!.number).toBe(`${P}PR-1`);
    expect(entry!.totalDebits).toEqual([{ amount: total, currency: 'EUR' }]);
    expect(entry!.totalCredits).toEqual([{ amount: total, currency: 'EUR' }]);
    const debits = entry!.lines.map((l) => l.debit.amount).filter((a) => a !== '0.00');
    const credits = entry!.lines.map((l) => l.credit.amount).filter((a) => a !== '0.00');
    expect(debits.sort()).toEqual([CENT, ...Array.from({ length: MAXIMAL_LINES }, () => MAX)]);
    expect(credits.sort()).toEqual([CENT, ...Array.from({ length: MAXIMAL_LINES }, () => MAX)]);
    expect(journalEntries.totals).toEqual([{ currency: 'EUR', count: 1, sum: { amount: total, currency: 'EUR' } }]);
  });

  it('reconciles every flow with exact control totals at source and canonical stage, in sync', async () => {
    const reports = async (le: string) =>
      (
        await query<{
          reconciliations: Array<{
            flow: { id: string };
            status: string;
            stages: Array<{ stage: string; count: number | null; totals: Total[] }>;
            differences: Array<{ reason: string; message: string }>;
          }>;
        }>(
          `query($le: ID!, $p: String!) {
            reconciliations(legalEntityId: $le, period: "2026-03", numberPrefix: $p) {
              flow { id } status differences { reason message }
              stages { stage count totals { currency count sum { amount currency } } }
            }
          }`,
          { le, p: P },
        )
      ).reconciliations;
    const controls = Object.fromEntries(
      [...(await reports('FS-US')), ...(await reports('FS-EU'))]
        .filter((r) => r.stages[0]!.count)
        .map((r) => {
          expect(r.differences).toEqual([]);
          expect(r.status).toBe('IN_SYNC');
          const [source, canonical] = r.stages;
          // Source and canonical stage agree to the cent.
          expect(canonical!.totals).toEqual(source!.totals);
          return [r.flow.id, source!.totals.map((t) => `${t.count} ${t.sum.amount} ${t.sum.currency}`)];
        }),
    );
    expect(controls).toEqual({
      BILLING_INVOICES: [`4 ${sum(MAX, MAX, MAX, CENT)} USD`],
      BILLING_PAYMENTS: ['2 10000000000000000.00 USD'],
      PROCUREMENT_SUPPLIER_INVOICES: ['3 19999999999999999.99 EUR'],
      PAYROLL_JOURNALS: ['1 1499999999999999998.51 EUR'],
      // Suppliers carry no amount: counted, summed to nothing.
      PROCUREMENT_SUPPLIERS: ['1 0.00 EUR'],
    });
    expect(controls.BILLING_INVOICES).toEqual(['4 29999999999999999.98 USD']);
  });

  it('refuses amounts the store cannot hold with exceptions naming the record and the field, never APPLY_FAILED', async () => {
    const { exceptions } = await query<{
      exceptions: {
        edges: Array<{
          node: {
            code: string;
            field: string;
            message: string;
            sourceSystem: string;
            sourceTable: string;
            sourceId: string;
          };
        }>;
      };
    }>(
      `query($p: String!) {
        exceptions(filter: { messageContains: $p, status: [OPEN] }) {
          edges { node { code field message sourceSystem sourceTable sourceId } }
        }
      }`,
      { p: P },
    );
    const journal = `Journal ${P}PR-2 (payroll public.payroll_journal ${P}PR-2)`;
    expect(exceptions.edges.map((e) => e.node).sort((a, b) => a.field.localeCompare(b.field))).toEqual(
      [
        [
          'lines[1].debit',
          `the debit ${TOO_LARGE} has 35 digits before the decimal point, and finsync's store holds at most 34 (NUMERIC(38,4))`,
        ],
        [
          'lines[2].debit',
          "the debit 100.00001 has 5 decimal places, and finsync's store keeps 4 (NUMERIC(38,4)) and never rounds an amount",
        ],
        [
          'lines[3].credit',
          `the credit ${TOO_LARGE} has 35 digits before the decimal point, and finsync's store holds at most 34 (NUMERIC(38,4))`,
        ],
        [
          'lines[4].credit',
          "the credit 100.00001 has 5 decimal places, and finsync's store keeps 4 (NUMERIC(38,4)) and never rounds an amount",
        ],
      ].map(([field, problem]) => ({
        code: 'AMOUNT_OUT_OF_RANGE',
        field,
        message: `Line ${field!.slice(6, 7)} of ${journal}: ${problem}. Nothing of it was applied: finsync holds an amount exactly or not at all.`,
        sourceSystem: 'payroll',
        sourceTable: 'public.payroll_journal',
        sourceId: `${P}PR-2`,
      })),
    );
  });

  const postJournal = (key: string, lines: ReadonlyArray<Record<string, unknown>>) =>
    query<{
      postJournalEntry: {
        posting: { status: string; amount: Money; journal: { lines: Array<{ debit: Money; credit: Money }> } } | null;
        userErrors: Array<{ code: string; field: string | null; message: string }>;
      };
    }>(
      `mutation($input: JournalEntryPostingInput!, $key: String!) {
        postJournalEntry(input: $input, idempotencyKey: $key) {
          posting { status amount { amount currency } journal { lines { debit { amount currency } credit { amount currency } } } }
          userErrors { code field message }
        }
      }`,
      {
        input: {
          legalEntityId: 'FS-EU',
          journalType: 'ACCRUAL',
          number: `${P}${key}`,
          transactionDate: '2026-03-31',
          currency: 'EUR',
          lines,
        },
        key: `${P}${key}`,
      },
    ).then((d) => d.postJournalEntry);
  const salaries = (debit: string) => ({
    accountCode: '6100',
    debit,
    dimensions: [{ type: 'DEPARTMENT', code: 'D-ENG' }],
  });
  const payable = (credit: string) => ({ accountCode: '2200', credit });

  it('keeps a journal posting of maximal amounts exact: its amount and its lines', async () => {
    const postJournalEntry = await postJournal('ACC-1', [
      ...[MAX, MAX, MAX, CENT].map(salaries),
      ...[MAX, MAX, MAX, CENT].map(payable),
    ]);
    expect(postJournalEntry.userErrors).toEqual([]);
    // Far above the approval threshold: held for a second person, with its amount to the cent.
    expect(postJournalEntry.posting!.status).toBe('PENDING_APPROVAL');
    expect(postJournalEntry.posting!.amount).toEqual({ amount: '29999999999999999.98', currency: 'EUR' });
    expect(postJournalEntry.posting!.journal.lines.map((l) => [l.debit.amount, l.credit.amount])).toEqual([
      [MAX, '0.00'],
      [MAX, '0.00'],
      [MAX, '0.00'],
      [CENT, '0.00'],
      ['0.00', MAX],
      ['0.00', MAX],
      ['0.00', MAX],
      ['0.00', CENT],
    ]);
  });

  it('refuses a journal posting with an amount the store cannot hold, naming the line and the field', async () => {
    const refused = await postJournal('ACC-2', [salaries('100.00001'), payable('100.00001')]);
    expect(refused.posting).toBeNull();
    expect(refused.userErrors.filter((e) => e.code === 'AMOUNT_OUT_OF_RANGE')).toEqual([
      {
        code: 'AMOUNT_OUT_OF_RANGE',
        field: 'lines[1].debit',
        message: expect.stringMatching(/^Line 1 of Journal .*ACC-2: the debit 100\.00001 has 5 decimal places/),
      },
      {
        code: 'AMOUNT_OUT_OF_RANGE',
        field: 'lines[2].credit',
        message: expect.stringMatching(/^Line 2 of Journal .*ACC-2: the credit 100\.00001 has 5 decimal places/),
      },
    ]);
  });
});
