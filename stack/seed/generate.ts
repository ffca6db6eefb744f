/**
 * The data set, as a pure function of (seed, size, anomalies): no database, no clock. Every record draws from
 * its own PRNG stream (faker seeded with [seed, stream, index]) and picks counterparties only among those with a
 * lower index, so a run with a larger size extends a smaller one with the same seed instead of changing it, and
 * planting anomalies changes none of the clean records.
 */
import { Faker, base, de, en, en_GB, en_US } from '@faker-js/faker';
import { Decimal, cents, fixed, lineAmount, sum } from './money';
import {
  NameRegistry,
  brandWord,
  breakCheckDigit,
  companyName,
  domainLabel,
  iban,
  taxId,
  uniqueDigits,
  type Locale,
} from './names';
import type {
  BillingInvoice,
  BillingInvoiceLine,
  CreditMemo,
  Customer,
  Dataset,
  Payment,
  PayrollJournal,
  PayrollLine,
  PlannedAnomaly,
  PurchaseOrder,
  Supplier,
  SupplierInvoice,
  SupplierInvoiceLine,
} from './model';
import { taxRate } from '../../canonical-schema/reference/reference';

export interface GenerateOptions {
  readonly seed: number;
  /** About the number of invoices per source. */
  readonly size: number;
  readonly anomalies: boolean;
}

/** The topic the malformed message goes to, and the message itself (invalid JSON). */
export const POISON_TOPIC = 'billing.billing.invoice';
export const POISON_VALUE = '{"this is": "not a debezium envelope"';

/** Codes and numbers of a run start with this: `S42-` for seed 42. */
export const runPrefix = (seed: number): string => `S${seed}-`;

const FAKERS: Record<Locale, Faker> = {
  de: new Faker({ locale: [de, en, base] }),
  en_GB: new Faker({ locale: [en_GB, en, base] }),
  en_US: new Faker({ locale: [en_US, en, base] }),
};

enum Stream {
  Supplier = 1,
  SupplierInvoice = 2,
  PurchaseOrder = 3,
  Customer = 4,
  BillingInvoice = 5,
  Payroll = 6,
  Anomaly = 7,
}

/** The faker of a locale, seeded for one record. */
function rng(seed: number, stream: Stream, index: number, locale: Locale = 'en_US'): Faker {
  const f = FAKERS[locale];
  f.seed([seed, stream, index]);
  return f;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** `YYYY-MM-DD` plus days, in UTC. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function monthBounds(year: number, month: number): { start: string; end: string } {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { start: `${year}-${pad(month, 2)}-01`, end: `${year}-${pad(month, 2)}-${pad(last, 2)}` };
}

/** Pools grow with the index, so that a record never depends on the run's total size. */
export const supplierCount = (invoices: number): number => Math.max(8, Math.ceil(invoices / 10));
export const customerCount = (invoices: number): number => Math.max(8, Math.ceil(invoices / 8));
export const payrollRunCount = (size: number): number => Math.max(2, Math.ceil(size / 50));

// ---------------------------------------------------------------------------------------------------------------
// Procurement

const supplierLocale = (j: number): Locale => (j % 10 === 3 ? 'en_GB' : j % 10 === 6 ? 'en_US' : 'de');
const LOCALE_COUNTRY: Record<Locale, string> = { de: 'DE', en_GB: 'GB', en_US: 'US' };
/**
 * The number a supplier's tax id is made from: German ones have 5 digits for it (n = j + 1), British and US ones 4
 * (every tenth supplier is British, every tenth American: n = j / 10 + 1); anomaly suppliers count from 90001.
 */
const supplierTaxN = (locale: Locale, j: number, anomaly: boolean): number =>
  anomaly ? 90000 + j : locale === 'de' ? j + 1 : Math.floor(j / 10) + 1;
const LOCALE_CURRENCY: Record<Locale, string> = { de: 'EUR', en_GB: 'GBP', en_US: 'USD' };
const PAYMENT_TERMS = [14, 30, 45];

interface SupplierSpec {
  readonly code: string;
  readonly index: number;
  readonly status: Supplier['onboarding_status'];
  /** Another supplier's tax id number (the planted duplicate). */
  readonly taxN?: number;
}

function makeSupplier(opts: GenerateOptions, names: NameRegistry, spec: SupplierSpec, stream: Stream): Supplier {
  const anomaly = spec.code.includes('-X');
  const locale = anomaly ? 'de' : supplierLocale(spec.index);
  const f = rng(opts.seed, stream, spec.index, locale);
  const brand = brandWord(spec.code.slice(0, spec.code.indexOf('SUP-')), anomaly ? 1000 + spec.index : spec.index);
  const name = names.draw(() => companyName(f, locale, brand));
  // Anomaly suppliers count from 90001 so that their tax ids and accounts never meet the clean ones'.
  const n = anomaly ? 90000 + spec.index : spec.index + 1;
  // Account numbers: the seed's three digits, then n (10 digits in Germany, 8 in Britain).
  const account = locale === 'de' ? `${uniqueDigits(opts.seed, n, 9)}0` : uniqueDigits(opts.seed, n, 8);
  return {
    supplier_code: spec.code,
    legal_name: name,
    tax_id: taxId(locale, opts.seed, spec.taxN ?? supplierTaxN(locale, spec.index, anomaly)),
    // A US supplier has no IBAN (the US has none): it is paid by ACH, which onboarding does not check.
    iban: locale === 'en_US' ? null : iban(f, locale, account),
    country: LOCALE_COUNTRY[locale],
    email: `${f.helpers.arrayElement(['ap', 'invoices', 'billing', 'accounts'])}@${domainLabel(name)}.example`,
    onboarding_status: spec.status,
    currency: LOCALE_CURRENCY[locale],
    legal_entity: 'FS-EU',
  };
}

const SUPPLIER_LINE_KINDS: Record<
  string,
  readonly { readonly weight: number; readonly make: (f: Faker) => LineDraft }[]
> = {
  '6300': [
    {
      weight: 3,
      make: (f) => ({
        description: `${f.helpers.arrayElement(['Collaboration suite', 'CRM', 'Design tool', 'Monitoring', 'CI minutes'])} licences, ${f.helpers.arrayElement(['monthly', 'quarterly'])}`,
        quantity: String(f.number.int({ min: 2, max: 60 })),
        unitPrice: cents(f.number.int({ min: 500, max: 12000 })),
      }),
    },
    {
      weight: 2,
      make: (f) => ({
        description: `Annual subscription ${f.helpers.arrayElement(['Security scanner', 'Data warehouse', 'Backup', 'Password manager'])}`,
        quantity: '1',
        unitPrice: cents(f.number.int({ min: 20000, max: 900000 })),
      }),
    },
    {
      weight: 1,
      make: (f) => ({
        description: 'Cloud compute hours',
        quantity: new Decimal(f.number.int({ min: 1000, max: 90000 })).dividedBy(10).toFixed(1),
        unitPrice: cents(f.number.int({ min: 8, max: 95 })),
      }),
    },
  ],
  '6400': [
    {
      weight: 2,
      make: (f) => ({
        description: `Flight ${f.helpers.arrayElement(['FRA', 'MUC', 'BER', 'LHR', 'JFK', 'SFO'])}–${f.helpers.arrayElement(['AMS', 'CDG', 'MAD', 'BOS', 'ORD', 'VIE'])}`,
        quantity: '1',
        unitPrice: cents(f.number.int({ min: 8000, max: 180000 })),
      }),
    },
    {
      weight: 2,
      make: (f) => ({
        description: `Hotel ${f.helpers.arrayElement(['Berlin', 'Munich', 'London', 'Paris', 'New York', 'Vienna'])}, room nights`,
        quantity: String(f.number.int({ min: 1, max: 6 })),
        unitPrice: cents(f.number.int({ min: 8900, max: 32000 })),
      }),
    },
    {
      weight: 1,
      make: (f) => ({
        description: 'Rail travel',
        quantity: '1',
        unitPrice: cents(f.number.int({ min: 2900, max: 24000 })),
      }),
    },
  ],
  '5000': [
    {
      weight: 2,
      make: (f) => ({
        description: 'Payment processing fees',
        quantity: '1',
        unitPrice: cents(f.number.int({ min: 5000, max: 2000000 })),
      }),
    },
    {
      weight: 1,
      make: (f) => ({
        description: 'Data centre power (kWh)',
        quantity: new Decimal(f.number.int({ min: 10000, max: 400000 })).dividedBy(10).toFixed(1),
        unitPrice: cents(f.number.int({ min: 18, max: 42 })),
      }),
    },
  ],
};

interface LineDraft {
  readonly description: string;
  readonly quantity: string;
  readonly unitPrice: string;
}

const COST_CENTERS_BY_ACCOUNT: Record<string, readonly { value: string; weight: number }[]> = {
  '6300': [
    { value: 'CC-100', weight: 7 },
    { value: 'CC-300', weight: 2 },
    { value: 'CC-200', weight: 1 },
  ],
  '6400': [
    { value: 'CC-200', weight: 7 },
    { value: 'CC-100', weight: 2 },
    { value: 'CC-300', weight: 1 },
  ],
  '5000': [
    { value: 'CC-100', weight: 3 },
    { value: 'CC-300', weight: 1 },
  ],
};

function supplierLine(f: Faker, lineNo: number, account?: string, costCenter?: string): SupplierInvoiceLine {
  const accountCode =
    account ??
    f.helpers.weightedArrayElement([
      { value: '6300', weight: 45 },
      { value: '6400', weight: 30 },
      { value: '5000', weight: 25 },
    ]);
  const kinds = SUPPLIER_LINE_KINDS[accountCode] ?? [];
  const draft = f.helpers.weightedArrayElement(kinds.map((k) => ({ value: k.make, weight: k.weight })))(f);
  const quantity = new Decimal(draft.quantity).toFixed(4);
  return {
    line_no: lineNo,
    description: draft.description,
    account_code: accountCode,
    cost_center: costCenter ?? f.helpers.weightedArrayElement(COST_CENTERS_BY_ACCOUNT[accountCode] ?? []),
    tax_code: 'VAT19',
    quantity,
    unit_price: draft.unitPrice,
    amount: lineAmount(quantity, draft.unitPrice),
  };
}

/** Header totals from the lines: amount = net + tax, tax per tax code on the net sum, rounded half up. */
function supplierTotals(lines: readonly SupplierInvoiceLine[]): { net: string; tax: string; amount: string } {
  const net = sum(lines.map((l) => l.amount));
  const byCode = new Map<string, Decimal>();
  for (const l of lines) byCode.set(l.tax_code, (byCode.get(l.tax_code) ?? new Decimal(0)).plus(l.amount));
  const tax = sum([...byCode].map(([code, base]) => fixed(base.times(taxRate(code)))));
  return { net, tax, amount: sum([net, tax]) };
}

function approvedAt(f: Faker, invoiceDate: string): string {
  const day = addDays(invoiceDate, f.number.int({ min: 1, max: 5 }));
  return `${day}T${pad(f.number.int({ min: 8, max: 17 }), 2)}:${pad(f.number.int({ min: 0, max: 59 }), 2)}:00Z`;
}

function supplierInvoiceStatus(i: number): SupplierInvoice['status'] {
  const r = i % 10;
  return r === 1 || r === 6 ? 'PAID' : r === 3 ? 'RECEIVED' : 'APPROVED';
}

function makeSupplierInvoice(
  opts: GenerateOptions,
  prefix: string,
  i: number,
  suppliers: readonly Supplier[],
): { invoice: SupplierInvoice; net: string } {
  const f = rng(opts.seed, Stream.SupplierInvoice, i);
  const pool = suppliers.slice(0, supplierCount(i + 1)).filter((s) => s.onboarding_status === 'APPROVED');
  const supplier = f.helpers.arrayElement(pool);
  const invoiceDate = addDays('2026-01-02', f.number.int({ min: 0, max: 270 }));
  const lines = Array.from({ length: f.number.int({ min: 1, max: 4 }) }, (_, k) => supplierLine(f, k + 1));
  const totals = supplierTotals(lines);
  const status = supplierInvoiceStatus(i);
  const terms = PAYMENT_TERMS[suppliers.indexOf(supplier) % PAYMENT_TERMS.length] ?? 30;
  return {
    net: totals.net,
    invoice: {
      supplier_ref: supplier.supplier_code,
      number: `${prefix}PI-${pad(i + 1, 6)}`,
      amount: totals.amount,
      currency: supplier.currency,
      invoice_date: invoiceDate,
      approved_at: status === 'RECEIVED' ? null : approvedAt(f, invoiceDate),
      legal_entity: 'FS-EU',
      po_number: i % 2 === 0 ? `${prefix}PO-${pad(i + 1, 6)}` : null,
      tax_amount: totals.tax,
      due_date: addDays(invoiceDate, terms),
      status,
      lines,
    },
  };
}

function makeProcurement(opts: GenerateOptions, prefix: string) {
  const names = new NameRegistry();
  // The anomaly suppliers' names are drawn first, whether planted or not: the clean names never depend on them.
  const duplicateVendor = makeSupplier(
    opts,
    names,
    { code: `${prefix}SUP-X01`, index: 1, status: 'APPROVED', taxN: supplierTaxN('de', 0, false) },
    Stream.Anomaly,
  );
  const suspendedVendor = makeSupplier(
    opts,
    names,
    { code: `${prefix}SUP-X02`, index: 2, status: 'SUSPENDED' },
    Stream.Anomaly,
  );
  const invalidIbanVendor = makeSupplier(
    opts,
    names,
    { code: `${prefix}SUP-X03`, index: 3, status: 'APPROVED' },
    Stream.Anomaly,
  );

  const suppliers: Supplier[] = [];
  for (let j = 0; j < supplierCount(opts.size); j++) {
    const status = j % 8 === 4 ? 'PENDING_REVIEW' : 'APPROVED';
    suppliers.push(
      makeSupplier(opts, names, { code: `${prefix}SUP-${pad(j + 1, 4)}`, index: j, status }, Stream.Supplier),
    );
  }

  const supplierInvoices: SupplierInvoice[] = [];
  const purchaseOrders: PurchaseOrder[] = [];
  for (let i = 0; i < opts.size; i++) {
    const { invoice, net } = makeSupplierInvoice(opts, prefix, i, suppliers);
    supplierInvoices.push(invoice);
    const f = rng(opts.seed, Stream.PurchaseOrder, i);
    if (invoice.po_number) {
      purchaseOrders.push({
        po_number: invoice.po_number,
        supplier_code: invoice.supplier_ref,
        legal_entity: invoice.legal_entity,
        order_date: addDays(invoice.invoice_date, -f.number.int({ min: 5, max: 30 })),
        currency: invoice.currency,
        total_amount: net,
        status: invoice.status === 'PAID' ? 'CLOSED' : 'RECEIVED',
      });
    } else if (i % 10 === 5) {
      // An order not invoiced (yet): open, or cancelled.
      const pool = suppliers.slice(0, supplierCount(i + 1)).filter((s) => s.onboarding_status === 'APPROVED');
      const supplier = f.helpers.arrayElement(pool);
      const lines = Array.from({ length: f.number.int({ min: 1, max: 3 }) }, (_, k) => supplierLine(f, k + 1));
      purchaseOrders.push({
        po_number: `${prefix}PO-${pad(i + 1, 6)}`,
        supplier_code: supplier.supplier_code,
        legal_entity: 'FS-EU',
        order_date: addDays('2026-03-01', f.number.int({ min: 0, max: 240 })),
        currency: supplier.currency,
        total_amount: sum(lines.map((l) => l.amount)),
        status: i % 20 === 15 ? 'CANCELLED' : 'OPEN',
      });
    }
  }

  const anomalies: PlannedAnomaly[] = [];
  if (opts.anomalies) {
    const f = rng(opts.seed, Stream.Anomaly, 10);
    const original = suppliers[0];
    const firstInvoice = supplierInvoices[0];
    if (!original || !firstInvoice) throw new Error('seed: the anomalies need at least one supplier and invoice');

    // (a) A second supplier with the tax id of supplier 0, under another name and bank account.
    suppliers.push({ ...duplicateVendor, anomaly: 'DUPLICATE_VENDOR', excluded: true });
    anomalies.push({
      kind: 'DUPLICATE_VENDOR',
      expectedException: 'DUPLICATE_VENDOR',
      description: `Supplier ${duplicateVendor.supplier_code} "${duplicateVendor.legal_name}" has the tax id ${duplicateVendor.tax_id} of ${original.supplier_code} "${original.legal_name}".`,
      system: 'procurement',
      table: 'supplier',
      records: [{ table: 'supplier', key: { supplier_code: duplicateVendor.supplier_code }, role: 'duplicate' }],
      related: [{ table: 'supplier', key: { supplier_code: original.supplier_code }, role: 'original' }],
      includedInControls: false,
    });

    const anomalyInvoice = (
      number: string,
      supplier: Supplier,
      invoiceDate: string,
      lines: readonly SupplierInvoiceLine[],
      marks: { anomaly: SupplierInvoice['anomaly'] },
    ): SupplierInvoice => {
      const totals = supplierTotals(lines);
      return {
        supplier_ref: supplier.supplier_code,
        number,
        amount: totals.amount,
        currency: supplier.currency,
        invoice_date: invoiceDate,
        approved_at: approvedAt(f, invoiceDate),
        legal_entity: 'FS-EU',
        po_number: null,
        tax_amount: totals.tax,
        due_date: addDays(invoiceDate, 30),
        status: 'APPROVED',
        lines,
        anomaly: marks.anomaly,
        excluded: true,
      };
    };
    const invoiceAnomaly = (
      kind: PlannedAnomaly['kind'],
      invoice: SupplierInvoice,
      description: string,
      related: PlannedAnomaly['related'] = [],
    ): PlannedAnomaly => ({
      kind,
      expectedException: kind === 'PARKED_THEN_APPLIED' ? null : kind,
      description,
      system: 'procurement',
      table: 'supplier_invoice',
      records: [
        {
          table: 'supplier_invoice',
          key: { supplier_ref: invoice.supplier_ref, number: invoice.number, invoice_date: invoice.invoice_date },
          role: 'invoice',
        },
      ],
      related,
      includedInControls: false,
    });

    // (b) A line with a cost center the chart does not know.
    const unknownDimension = anomalyInvoice(
      `${prefix}PI-X01`,
      original,
      '2026-05-12',
      [supplierLine(f, 1, '6300', 'CC-999'), supplierLine(f, 2, '6400', 'CC-200')],
      { anomaly: 'UNKNOWN_DIMENSION' },
    );
    // (e) Dated in FS-EU's closed fiscal year 2025.
    const closedPeriod = anomalyInvoice(`${prefix}PI-X02`, original, '2025-06-15', [supplierLine(f, 1, '6300')], {
      anomaly: 'PERIOD_CLOSED',
    });
    // (f) The supplier's invoice 0 captured a second time, two weeks later, same number, same year.
    const duplicateInvoice: SupplierInvoice = {
      ...firstInvoice,
      invoice_date: addDays(firstInvoice.invoice_date, 14),
      approved_at: approvedAt(f, addDays(firstInvoice.invoice_date, 14)),
      due_date: addDays(firstInvoice.due_date, 14),
      status: 'APPROVED',
      anomaly: 'DUPLICATE_INVOICE',
      excluded: true,
    };
    // (g) The suspended supplier, and an invoice from it.
    suppliers.push({ ...suspendedVendor });
    // (h) An approved supplier whose IBAN has a typing error (its check digits fail): the CDC pipeline applies it
    // (the source says what it says), vendor onboarding's IBAN check keeps it from being activated.
    const badIban = breakCheckDigit(invalidIbanVendor.iban!);
    suppliers.push({ ...invalidIbanVendor, iban: badIban, anomaly: 'INVALID_IBAN' });
    anomalies.push({
      kind: 'INVALID_IBAN',
      expectedException: 'INVALID_IBAN',
      raisedBy: 'VENDOR_ONBOARDING',
      description: `Supplier ${invalidIbanVendor.supplier_code} "${invalidIbanVendor.legal_name}" has the IBAN ${badIban}, whose check digits are wrong.`,
      system: 'procurement',
      table: 'supplier',
      records: [{ table: 'supplier', key: { supplier_code: invalidIbanVendor.supplier_code }, role: 'invalid iban' }],
      related: [],
      includedInControls: true,
    });
    const inactive = anomalyInvoice(`${prefix}PI-X03`, suspendedVendor, '2026-07-01', [supplierLine(f, 1, '6400')], {
      anomaly: 'INACTIVE_COUNTERPARTY',
    });
    supplierInvoices.push(unknownDimension, closedPeriod, duplicateInvoice, inactive);

    anomalies.push(
      invoiceAnomaly(
        'UNKNOWN_DIMENSION',
        unknownDimension,
        `Supplier invoice ${unknownDimension.number} line 1 names cost center CC-999, which does not exist.`,
      ),
      invoiceAnomaly(
        'PERIOD_CLOSED',
        closedPeriod,
        `Supplier invoice ${closedPeriod.number} is dated 2025-06-15, in FS-EU's closed fiscal year 2025.`,
      ),
      invoiceAnomaly(
        'DUPLICATE_INVOICE',
        duplicateInvoice,
        `Supplier invoice ${duplicateInvoice.number} from ${duplicateInvoice.supplier_ref} arrives a second time (dated ${duplicateInvoice.invoice_date}, first ${firstInvoice.invoice_date}).`,
        [
          {
            table: 'supplier_invoice',
            key: {
              supplier_ref: firstInvoice.supplier_ref,
              number: firstInvoice.number,
              invoice_date: firstInvoice.invoice_date,
            },
            role: 'original',
          },
        ],
      ),
      invoiceAnomaly(
        'INACTIVE_COUNTERPARTY',
        inactive,
        `Supplier invoice ${inactive.number} is from ${suspendedVendor.supplier_code}, whose onboarding status is SUSPENDED.`,
        [{ table: 'supplier', key: { supplier_code: suspendedVendor.supplier_code }, role: 'suspended supplier' }],
      ),
    );
  }
  return { suppliers, purchaseOrders, supplierInvoices, anomalies };
}

// ---------------------------------------------------------------------------------------------------------------
// Payroll

const PAYROLL_COST_CENTERS = [
  { code: 'CC-ENG', label: 'Engineering', heads: [8, 40], eu: [650000, 850000], us: [900000, 1350000] },
  { code: 'CC-SLS', label: 'Sales', heads: [3, 20], eu: [550000, 800000], us: [700000, 1100000] },
  { code: 'CC-ADM', label: 'Administration', heads: [2, 8], eu: [450000, 600000], us: [550000, 800000] },
] as const;
const EMPLOYER_RATE: Record<string, string> = { 'FS-EU': '0.2100', 'FS-US': '0.0765' };

/** A balanced journal: gross (6100) and employer charges (6200) per cost center, against payroll liabilities. */
function payrollLines(f: Faker, legalEntity: string, bonus: boolean): PayrollLine[] {
  const lines: PayrollLine[] = [];
  const gross: string[] = [];
  const charges: string[] = [];
  const push = (gl: string, cc: string | null, description: string, debit: string, credit: string) =>
    lines.push({ line_no: lines.length + 1, gl_account: gl, cost_center: cc, description, debit, credit });
  for (const cc of PAYROLL_COST_CENTERS) {
    if (bonus && cc.code === 'CC-ADM') continue;
    const heads = f.number.int({ min: cc.heads[0], max: cc.heads[1] });
    const [lo, hi] = legalEntity === 'FS-EU' ? cc.eu : cc.us;
    const perHead = bonus ? f.number.int({ min: 50000, max: 300000 }) : f.number.int({ min: lo, max: hi });
    const amount = cents(perHead * heads);
    const charge = fixed(new Decimal(amount).times(EMPLOYER_RATE[legalEntity] ?? '0'));
    gross.push(amount);
    charges.push(charge);
    push('6100', cc.code, `${bonus ? 'Bonus' : 'Gross salaries'} — ${cc.label}`, amount, '0.00');
    push('6200', cc.code, `Employer social charges — ${cc.label}`, charge, '0.00');
  }
  const totalGross = sum(gross);
  const netPay = fixed(new Decimal(totalGross).times(f.number.int({ min: 58, max: 66 })).dividedBy(100));
  push('2200', null, 'Net pay payable', '0.00', netPay);
  push('2200', null, 'Wage tax withheld', '0.00', new Decimal(totalGross).minus(netPay).toFixed(2));
  push('2200', null, 'Social security payable', '0.00', sum(charges));
  return lines;
}

function makePayrollRun(opts: GenerateOptions, prefix: string, r: number): PayrollJournal {
  const f = rng(opts.seed, Stream.Payroll, r);
  const legalEntity = r % 2 === 0 ? 'FS-EU' : 'FS-US';
  const offCycle = r >= 20;
  const q = r - 20;
  const month = offCycle ? (Math.floor(q / 2) % 10) + 1 : Math.floor(r / 2) + 1;
  const { start, end } = monthBounds(2026, month);
  const code = `${prefix}PR-${legalEntity}-2026-${pad(month, 2)}${offCycle ? `-B${Math.floor(q / 20) + 1}` : ''}`;
  return {
    run_code: code,
    legal_entity: legalEntity,
    period_start: start,
    period_end: end,
    pay_date: offCycle ? `2026-${pad(month, 2)}-15` : end,
    currency: legalEntity === 'FS-EU' ? 'EUR' : 'USD',
    status: 'RELEASED',
    lines: payrollLines(f, legalEntity, offCycle),
  };
}

function makePayroll(opts: GenerateOptions, prefix: string) {
  const journals: PayrollJournal[] = [];
  for (let r = 0; r < payrollRunCount(opts.size); r++) journals.push(makePayrollRun(opts, prefix, r));
  const anomalies: PlannedAnomaly[] = [];
  if (opts.anomalies) {
    // (c) Net pay credited 100.00 short: debits exceed credits by exactly 100.00.
    const f = rng(opts.seed, Stream.Anomaly, 20);
    const { start, end } = monthBounds(2026, 6);
    const lines = payrollLines(f, 'FS-EU', false).map((l) =>
      l.description === 'Net pay payable' ? { ...l, credit: new Decimal(l.credit).minus(100).toFixed(2) } : l,
    );
    const run: PayrollJournal = {
      run_code: `${prefix}PR-FS-EU-2026-06-X1`,
      legal_entity: 'FS-EU',
      period_start: start,
      period_end: end,
      pay_date: end,
      currency: 'EUR',
      status: 'RELEASED',
      lines,
      anomaly: 'UNBALANCED_JOURNAL',
      excluded: true,
    };
    journals.push(run);
    anomalies.push({
      kind: 'UNBALANCED_JOURNAL',
      expectedException: 'UNBALANCED_JOURNAL',
      description: `Payroll journal ${run.run_code}: debits ${sum(lines.map((l) => l.debit))} and credits ${sum(lines.map((l) => l.credit))} EUR differ by 100.00.`,
      system: 'payroll',
      table: 'payroll_journal',
      records: [{ table: 'payroll_journal', key: { run_code: run.run_code }, role: 'journal' }],
      related: [],
      includedInControls: false,
    });
  }
  return { journals, anomalies };
}

// ---------------------------------------------------------------------------------------------------------------
// Billing

interface CustomerProfile {
  readonly locale: Locale;
  readonly legalEntity: string;
  readonly currency: string;
  readonly taxCode: string;
  readonly methods: readonly string[];
  readonly terms: number;
}
const US_PROFILE: CustomerProfile = {
  locale: 'en_US',
  legalEntity: 'FS-US',
  currency: 'USD',
  taxCode: 'US-EXEMPT',
  methods: ['card', 'ach', 'wire'],
  terms: 30,
};
const EU_PROFILE: CustomerProfile = {
  locale: 'de',
  legalEntity: 'FS-EU',
  currency: 'EUR',
  taxCode: 'VAT19',
  methods: ['card', 'sepa', 'wire'],
  terms: 14,
};
const GB_PROFILE: CustomerProfile = { ...EU_PROFILE, locale: 'en_GB', currency: 'GBP', methods: ['card', 'wire'] };
const customerProfile = (k: number): CustomerProfile =>
  k % 5 === 1 ? EU_PROFILE : k % 10 === 3 ? GB_PROFILE : US_PROFILE;

function makeCustomer(opts: GenerateOptions, prefix: string, names: NameRegistry, k: number): Customer {
  const profile = customerProfile(k);
  const f = rng(opts.seed, Stream.Customer, k, profile.locale);
  const name = names.draw(() => companyName(f, profile.locale, brandWord(`${prefix}CUS-`, k)));
  return {
    customer_code: `${prefix}CUS-${pad(k + 1, 4)}`,
    name,
    // Customers' tax ids are valid too, from their own range (5000 + k; they are never compared with vendors').
    tax_id: taxId(profile.locale, opts.seed, 5000 + (k % 5000)),
    email: `${f.helpers.arrayElement(['billing', 'finance', 'accounts-payable'])}@${domainLabel(name)}.example`,
    currency: profile.currency,
    legal_entity: profile.legalEntity,
    status: k % 10 === 7 ? 'churned' : 'active',
  };
}

const PRICES: Record<string, Record<string, number>> = {
  'SUB-BASIC': { USD: 4900, EUR: 4500, GBP: 3900 },
  'SUB-PRO': { USD: 14900, EUR: 13900, GBP: 11900 },
  'SRV-ONBOARD': { USD: 18000, EUR: 16500, GBP: 14000 },
};

function billingLines(f: Faker, currency: string, taxCode: string): BillingInvoiceLine[] {
  const plan = f.helpers.weightedArrayElement([
    { value: 'SUB-BASIC', weight: 3 },
    { value: 'SUB-PRO', weight: 2 },
  ]);
  const price = (code: string) => cents(PRICES[code]?.[currency] ?? 0);
  const drafts: { product: string; description: string; quantity: string; unitPrice: string }[] = [
    {
      product: plan,
      description: `${plan === 'SUB-PRO' ? 'Pro' : 'Basic'} plan, seats, ${f.helpers.arrayElement(['monthly', 'monthly', 'quarterly'])}`,
      quantity: String(f.number.int({ min: 1, max: 60 })),
      unitPrice: price(plan),
    },
  ];
  if (f.number.int({ min: 0, max: 3 }) === 0) {
    drafts.push({
      product: plan === 'SUB-PRO' ? 'SUB-BASIC' : 'SUB-PRO',
      description: 'Additional workspace, seats',
      quantity: String(f.number.int({ min: 1, max: 10 })),
      unitPrice: price(plan === 'SUB-PRO' ? 'SUB-BASIC' : 'SUB-PRO'),
    });
  }
  if (f.number.int({ min: 0, max: 4 }) === 0) {
    drafts.push({
      product: 'SRV-ONBOARD',
      description: 'Onboarding services, hours',
      quantity: new Decimal(f.number.int({ min: 4, max: 80 })).dividedBy(2).toFixed(1),
      unitPrice: price('SRV-ONBOARD'),
    });
  }
  return drafts.map((d, k) => {
    const quantity = new Decimal(d.quantity).toFixed(4);
    return {
      line_no: k + 1,
      product_code: d.product,
      description: d.description,
      quantity,
      unit_price: d.unitPrice,
      amount: lineAmount(quantity, d.unitPrice),
      tax_code: taxCode,
    };
  });
}

function billingTotals(lines: readonly BillingInvoiceLine[], taxCode: string) {
  const subtotal = sum(lines.map((l) => l.amount));
  const tax = fixed(new Decimal(subtotal).times(taxRate(taxCode)));
  return { subtotal, tax, total: sum([subtotal, tax]) };
}

const CREDIT_REASONS = ['Service credit for an outage', 'Seats removed mid-term', 'Goodwill discount', 'Billing error'];

/** Payments by invoice index: settled in full, in part, pending, failed then retried, or not yet. */
function paymentPlan(i: number): 'full' | 'partial' | 'pending' | 'failed-then-full' | 'none' {
  const r = i % 10;
  if (r === 1 || r === 8) return 'partial';
  if (r === 3 || r === 9) return 'none';
  if (r === 4) return 'failed-then-full';
  if (r === 6) return 'pending';
  return 'full';
}

function makeBillingInvoice(
  opts: GenerateOptions,
  prefix: string,
  i: number,
  customers: readonly Customer[],
): BillingInvoice {
  const f = rng(opts.seed, Stream.BillingInvoice, i);
  const pool = customers.slice(0, customerCount(i + 1)).filter((c) => c.status === 'active');
  const customer = f.helpers.arrayElement(pool);
  const profile = customerProfile(customers.indexOf(customer));
  const issueDate = addDays('2026-01-05', f.number.int({ min: 0, max: 265 }));
  const lines = billingLines(f, customer.currency, profile.taxCode);
  const totals = billingTotals(lines, profile.taxCode);
  const number = `${prefix}INV-${pad(i + 1, 6)}`;
  const plan = paymentPlan(i);
  const payments: Payment[] = [];
  const pay = (amount: string, status: Payment['status'], days: number) =>
    payments.push({
      reference: `${prefix}PAY-${pad(i + 1, 6)}-${payments.length + 1}`,
      customer_code: customer.customer_code,
      amount,
      currency: customer.currency,
      paid_at: addDays(issueDate, days),
      method: f.helpers.arrayElement(profile.methods),
      status,
      legal_entity: customer.legal_entity,
    });
  if (plan === 'full') pay(totals.total, 'settled', f.number.int({ min: 3, max: 40 }));
  if (plan === 'pending') pay(totals.total, 'pending', f.number.int({ min: 20, max: 40 }));
  if (plan === 'failed-then-full') {
    pay(totals.total, 'failed', f.number.int({ min: 1, max: 5 }));
    pay(totals.total, 'settled', f.number.int({ min: 8, max: 20 }));
  }
  if (plan === 'partial') {
    pay(fixed(new Decimal(totals.total).times(f.number.int({ min: 30, max: 70 })).dividedBy(100)), 'settled', 10);
  }
  const creditMemos: CreditMemo[] =
    i % 10 === 3
      ? [
          {
            number: `${prefix}CM-${pad(i + 1, 6)}`,
            customer_code: customer.customer_code,
            invoice_number: number,
            total: fixed(new Decimal(totals.total).times(f.helpers.arrayElement(['0.1', '0.2', '0.25', '0.5']))),
            currency: customer.currency,
            issue_date: addDays(issueDate, f.number.int({ min: 5, max: 20 })),
            legal_entity: customer.legal_entity,
            reason: f.helpers.arrayElement(CREDIT_REASONS),
          },
        ]
      : [];
  return {
    number,
    customer_code: customer.customer_code,
    total: totals.total,
    subtotal: totals.subtotal,
    tax_total: totals.tax,
    currency: customer.currency,
    issue_date: issueDate,
    due_date: addDays(issueDate, profile.terms),
    legal_entity: customer.legal_entity,
    status: plan === 'full' || plan === 'failed-then-full' ? 'paid' : 'issued',
    lines,
    payments,
    credit_memos: creditMemos,
  };
}

function makeBilling(opts: GenerateOptions, prefix: string) {
  const names = new NameRegistry();
  const customers: Customer[] = [];
  for (let k = 0; k < customerCount(opts.size); k++) customers.push(makeCustomer(opts, prefix, names, k));
  const invoices: BillingInvoice[] = [];
  for (let i = 0; i < opts.size; i++) invoices.push(makeBillingInvoice(opts, prefix, i, customers));

  const anomalies: PlannedAnomaly[] = [];
  if (opts.anomalies) {
    // (d) A payment that arrives before its invoice: valid data, parked, then applied.
    const f = rng(opts.seed, Stream.Anomaly, 30);
    const customer = customers[0];
    if (!customer) throw new Error('seed: the anomalies need at least one customer');
    const profile = customerProfile(0);
    const lines = billingLines(f, customer.currency, profile.taxCode);
    const totals = billingTotals(lines, profile.taxCode);
    const number = `${prefix}INV-X01`;
    const payment: Payment = {
      reference: `${prefix}PAY-X01`,
      customer_code: customer.customer_code,
      amount: totals.total,
      currency: customer.currency,
      paid_at: '2026-06-20',
      method: 'wire',
      status: 'settled',
      legal_entity: customer.legal_entity,
    };
    invoices.push({
      number,
      customer_code: customer.customer_code,
      total: totals.total,
      subtotal: totals.subtotal,
      tax_total: totals.tax,
      currency: customer.currency,
      issue_date: '2026-06-10',
      due_date: addDays('2026-06-10', profile.terms),
      legal_entity: customer.legal_entity,
      status: 'paid',
      lines,
      payments: [payment],
      credit_memos: [],
      paymentFirst: true,
      anomaly: 'PARKED_THEN_APPLIED',
    });
    anomalies.push({
      kind: 'PARKED_THEN_APPLIED',
      expectedException: null,
      description: `Payment ${payment.reference} was committed about 2 s before invoice ${number}, the invoice it pays: park it, apply it when the invoice arrives.`,
      system: 'billing',
      table: 'payment',
      records: [{ table: 'payment', key: { reference: payment.reference }, role: 'payment' }],
      related: [{ table: 'invoice', key: { number }, role: 'invoice' }],
      includedInControls: true,
    });
  }
  return { customers, invoices, anomalies };
}

// ---------------------------------------------------------------------------------------------------------------

export function generate(opts: GenerateOptions): Dataset {
  if (!Number.isInteger(opts.seed) || opts.seed < 0) throw new Error(`seed: --seed must be a whole number ≥ 0`);
  if (!Number.isInteger(opts.size) || opts.size < 1) throw new Error(`seed: --size must be a whole number ≥ 1`);
  const prefix = runPrefix(opts.seed);
  const procurement = makeProcurement(opts, prefix);
  const payroll = makePayroll(opts, prefix);
  const billing = makeBilling(opts, prefix);
  const poison = opts.anomalies ? { topic: POISON_TOPIC, key: `${prefix}POISON`, value: POISON_VALUE } : null;
  const anomalies = [...procurement.anomalies, ...payroll.anomalies, ...billing.anomalies];
  if (poison) {
    anomalies.push({
      kind: 'POISON_MESSAGE',
      expectedException: 'POISON_MESSAGE',
      description: `A message that is not JSON, key ${poison.key}, written straight onto ${poison.topic}: dead-letter it, keep consuming.`,
      system: 'billing',
      table: 'invoice',
      records: [],
      related: [],
      includedInControls: false,
    });
  }
  return {
    seed: opts.seed,
    prefix,
    size: opts.size,
    procurement: {
      suppliers: procurement.suppliers,
      purchaseOrders: procurement.purchaseOrders,
      supplierInvoices: procurement.supplierInvoices,
    },
    payroll: { journals: payroll.journals },
    billing: { customers: billing.customers, invoices: billing.invoices },
    anomalies,
    poison,
  };
}
