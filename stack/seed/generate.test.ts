import { Decimal } from '../../canonical-schema/money/Decimal';
import { computeControls } from './controls';
import { POISON_VALUE, generate } from './generate';
import type { Dataset, PayrollJournal } from './model';
import { extractIBAN, isValidIBAN } from 'ibantools';
import { stdnum } from 'stdnum';
import { execFileSync } from 'node:child_process';
import { NAME_SIMILARITY_THRESHOLD } from '../../cdc/apply/stage/stageVendor';
import { NAME_SIMILARITY_LIMIT, normalizeName, trigramSimilarity } from './names';
import { periodOf, reference } from '../../canonical-schema/reference/reference';

const total = (values: readonly string[]) => values.reduce((a, v) => a.plus(v), new Decimal(0));
const debits = (j: PayrollJournal) => total(j.lines.map((l) => l.debit));
const credits = (j: PayrollJournal) => total(j.lines.map((l) => l.credit));

const account = (code: string) => reference.accounts.find((a) => a.code === code);
const dimension = (type: string, code: string | null) =>
  reference.dimensions.find((d) => d.type === type && d.code === code && d.status === 'ACTIVE');
const translation = (domain: string, code: string | null) =>
  reference.codeTranslations.find((t) => t.domain === domain && t.sourceCode === code);
const open = (legalEntity: string, date: string) => periodOf(legalEntity, date)?.status === 'OPEN';

/** The clean rows break none of the rules finsync validates. */
function expectClean(data: Dataset): void {
  const { suppliers, purchaseOrders, supplierInvoices } = data.procurement;
  const active = new Set(suppliers.filter((s) => s.onboarding_status === 'APPROVED').map((s) => s.supplier_code));
  for (const inv of supplierInvoices.filter((i) => !i.excluded)) {
    expect(active.has(inv.supplier_ref)).toBe(true);
    expect(open(inv.legal_entity, inv.invoice_date)).toBe(true);
    expect(inv.due_date >= inv.invoice_date).toBe(true);
    const net = total(inv.lines.map((l) => l.amount));
    expect(net.plus(inv.tax_amount).toFixed(2)).toBe(inv.amount);
    expect(new Decimal(inv.tax_amount).toFixed(2)).toBe(net.times('0.19').toDecimalPlaces(2).toFixed(2));
    for (const line of inv.lines) {
      const acct = account(line.account_code);
      expect(acct?.status).toBe('ACTIVE');
      expect(dimension('COST_CENTER', line.cost_center)).toBeDefined();
      expect(reference.taxCodes.some((t) => t.code === line.tax_code)).toBe(true);
      expect(new Decimal(line.quantity).times(line.unit_price).toDecimalPlaces(2).toFixed(2)).toBe(line.amount);
    }
  }
  for (const po of purchaseOrders) expect(active.has(po.supplier_code)).toBe(true);

  for (const run of data.payroll.journals.filter((j) => !j.excluded)) {
    expect(debits(run).equals(credits(run))).toBe(true);
    expect(open(run.legal_entity, run.period_end)).toBe(true);
    for (const line of run.lines) {
      const acct = account(line.gl_account);
      expect(acct?.status).toBe('ACTIVE');
      for (const required of acct?.requiredDimensions ?? []) {
        const target = translation('PAYROLL_COST_CENTER', line.cost_center);
        expect(target?.targetType).toBe(`DIMENSION:${required}`);
        expect(dimension(required, target?.targetCode ?? null)).toBeDefined();
      }
    }
  }

  const activeCustomers = new Set(
    data.billing.customers.filter((c) => c.status === 'active').map((c) => c.customer_code),
  );
  for (const inv of data.billing.invoices.filter((i) => !i.excluded)) {
    expect(activeCustomers.has(inv.customer_code)).toBe(true);
    expect(open(inv.legal_entity, inv.issue_date)).toBe(true);
    expect(total(inv.lines.map((l) => l.amount)).toFixed(2)).toBe(inv.subtotal);
    expect(new Decimal(inv.subtotal).plus(inv.tax_total).toFixed(2)).toBe(inv.total);
    for (const line of inv.lines) {
      expect(translation('BILLING_PRODUCT', line.product_code)).toBeDefined();
      expect(new Decimal(line.quantity).times(line.unit_price).toDecimalPlaces(2).toFixed(2)).toBe(line.amount);
    }
    const settled = total(inv.payments.filter((p) => p.status === 'settled').map((p) => p.amount));
    expect(settled.lte(inv.total)).toBe(true);
    expect(inv.status === 'paid').toBe(settled.equals(inv.total));
    for (const p of inv.payments) expect(open(p.legal_entity, p.paid_at)).toBe(true);
    for (const m of inv.credit_memos) {
      expect(new Decimal(m.total).lt(inv.total)).toBe(true);
      expect(open(m.legal_entity, m.issue_date)).toBe(true);
    }
  }
}

describe('seed generator', () => {
  const data = generate({ seed: 7, size: 120, anomalies: true });

  it('is reproducible from the seed', () => {
    expect(generate({ seed: 7, size: 120, anomalies: true })).toEqual(data);
    expect(generate({ seed: 8, size: 120, anomalies: true }).procurement.suppliers[0]).not.toEqual(
      data.procurement.suppliers[0],
    );
  });

  it('extends a smaller run of the same seed, and planting anomalies changes no clean row', () => {
    const small = generate({ seed: 7, size: 40, anomalies: false });
    const clean = generate({ seed: 7, size: 120, anomalies: false });
    expect(data.procurement.suppliers.slice(0, small.procurement.suppliers.length)).toEqual(
      small.procurement.suppliers,
    );
    expect(data.procurement.supplierInvoices.slice(0, 40)).toEqual(small.procurement.supplierInvoices);
    expect(data.billing.customers.slice(0, small.billing.customers.length)).toEqual(small.billing.customers);
    expect(data.billing.invoices.slice(0, 40)).toEqual(small.billing.invoices);
    expect(data.payroll.journals.slice(0, small.payroll.journals.length)).toEqual(small.payroll.journals);
    expect(data.procurement.supplierInvoices.filter((i) => !i.anomaly)).toEqual(clean.procurement.supplierInvoices);
    expect(data.billing.invoices.filter((i) => !i.anomaly)).toEqual(clean.billing.invoices);
    expect(clean.anomalies).toEqual([]);
    expect(clean.poison).toBeNull();
  });

  it('writes clean rows that pass every validation rule', () => {
    expectClean(data);
    expectClean(generate({ seed: 11, size: 400, anomalies: false }));
  });

  it('namespaces codes by the seed and never repeats a vendor', () => {
    const codes = [
      ...data.procurement.suppliers.map((s) => s.supplier_code),
      ...data.procurement.purchaseOrders.map((p) => p.po_number),
      ...data.billing.customers.map((c) => c.customer_code),
      ...data.billing.invoices.map((i) => i.number),
      ...data.payroll.journals.map((j) => j.run_code),
    ];
    expect(codes.every((c) => c.startsWith('S7-'))).toBe(true);
    const clean = data.procurement.suppliers.filter((s) => !s.anomaly);
    expect(new Set(clean.map((s) => s.tax_id)).size).toBe(clean.length);
    const ibans = clean.flatMap((s) => (s.iban ? [s.iban] : []));
    expect(new Set(ibans).size).toBe(ibans.length);
    expect(ibans.every((i) => isValidIBAN(i))).toBe(true);
    const names = data.procurement.suppliers.map((s) => normalizeName(s.legal_name));
    for (let a = 0; a < names.length; a++) {
      for (let b = a + 1; b < names.length; b++) {
        expect(trigramSimilarity(names[a] ?? '', names[b] ?? '')).toBeLessThan(NAME_SIMILARITY_LIMIT);
      }
    }
    const other = generate({ seed: 11, size: 120, anomalies: false });
    const taxIds = new Set(data.procurement.suppliers.map((s) => s.tax_id));
    expect(other.procurement.suppliers.some((s) => taxIds.has(s.tax_id))).toBe(false);
  });

  it('gives clean suppliers a tax id and an IBAN valid for their country, with check digits', () => {
    const run = generate({ seed: 12, size: 400, anomalies: false });
    const validator = (country: string) => (country === 'US' ? stdnum.US!.ein! : stdnum[country]!.vat!);
    expect(new Set(run.procurement.suppliers.map((s) => s.country))).toEqual(new Set(['DE', 'GB', 'US']));
    for (const s of run.procurement.suppliers) {
      expect([s.supplier_code, s.tax_id, validator(s.country).validate(s.tax_id).isValid]).toEqual([
        s.supplier_code,
        s.tax_id,
        true,
      ]);
      if (s.country === 'US') expect(s.iban).toBeNull();
      else expect([s.iban, isValidIBAN(s.iban!), extractIBAN(s.iban!).countryCode]).toEqual([s.iban, true, s.country]);
    }
    for (const c of run.billing.customers) {
      const country = c.tax_id.startsWith('DE') ? 'DE' : c.tax_id.startsWith('GB') ? 'GB' : 'US';
      expect([c.tax_id, validator(country).validate(c.tax_id).isValid]).toEqual([c.tax_id, true]);
    }
  });

  it("gives the demo data set's suppliers tax ids that Tryton's own validator (python-stdnum) accepts too", () => {
    // stdnum-js accepts a German VAT number starting with 0; python-stdnum, which Tryton checks parties with, does not.
    const run = generate({ seed: 2026, size: 400, anomalies: false });
    const ids = run.procurement.suppliers.filter((s) => s.country !== 'US').map((s) => s.tax_id);
    const script = [
      'import json, sys',
      'from stdnum.de import vat as de',
      'from stdnum.gb import vat as gb',
      'print(json.dumps([i for i in json.load(sys.stdin) if not (de if i.startswith("DE") else gb).is_valid(i)]))',
    ].join('\n');
    const out = execFileSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(ids) }).toString();
    expect(ids.length).toBeGreaterThan(20);
    expect(JSON.parse(out)).toEqual([]);
  });

  it('keeps the clean suppliers of different seeds apart: no name finsync would take for a duplicate, no shared id', () => {
    // Eleven data sets, as the kill loop of issue 12 seeded them (seeds less than 1000 apart).
    const runs = [3, 17, 101, 202, 303, 404, 505, 606, 707, 808, 909].map((seed) =>
      generate({ seed, size: 1000, anomalies: false }).procurement.suppliers.map((s) => ({
        seed,
        name: normalizeName(s.legal_name),
        taxId: s.tax_id,
        iban: s.iban,
      })),
    );
    const all = runs.flat();
    expect(new Set(all.map((s) => s.taxId)).size).toBe(all.length);
    const ibans = all.flatMap((s) => (s.iban ? [s.iban] : []));
    expect(new Set(ibans).size).toBe(ibans.length);
    let worst = { similarity: 0, a: '', b: '' };
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        if (all[i]!.seed === all[j]!.seed) continue;
        const similarity = trigramSimilarity(all[i]!.name, all[j]!.name);
        if (similarity > worst.similarity) worst = { similarity, a: all[i]!.name, b: all[j]!.name };
      }
    }
    expect(worst.similarity).toBeLessThan(NAME_SIMILARITY_THRESHOLD);
  });

  it('plants exactly one of each anomaly, each breaking its one rule', () => {
    expect(data.anomalies.map((a) => a.kind).sort()).toEqual(
      [
        'DUPLICATE_INVOICE',
        'DUPLICATE_VENDOR',
        'INACTIVE_COUNTERPARTY',
        'INVALID_IBAN',
        'PARKED_THEN_APPLIED',
        'PERIOD_CLOSED',
        'POISON_MESSAGE',
        'UNBALANCED_JOURNAL',
        'UNKNOWN_DIMENSION',
      ].sort(),
    );
    const { suppliers, supplierInvoices } = data.procurement;
    const byKind = (kind: string) => supplierInvoices.filter((i) => i.anomaly === kind);

    const dup = suppliers.filter((s) => s.anomaly === 'DUPLICATE_VENDOR');
    expect(dup).toHaveLength(1);
    const twin = suppliers.filter((s) => s.tax_id === dup[0]?.tax_id);
    expect(twin).toHaveLength(2);
    expect(twin[0]?.legal_name).not.toBe(twin[1]?.legal_name);
    expect(twin[0]?.iban).not.toBe(twin[1]?.iban);

    const badIban = suppliers.filter((s) => s.anomaly === 'INVALID_IBAN');
    expect(badIban.map((s) => [s.onboarding_status, isValidIBAN(s.iban!), s.country])).toEqual([
      ['APPROVED', false, 'DE'],
    ]);
    expect(stdnum.DE!.vat!.validate(badIban[0]!.tax_id).isValid).toBe(true);

    const [unknown] = byKind('UNKNOWN_DIMENSION');
    expect(unknown?.lines.filter((l) => !dimension('COST_CENTER', l.cost_center)).map((l) => l.cost_center)).toEqual([
      'CC-999',
    ]);

    const [closed] = byKind('PERIOD_CLOSED');
    expect(closed?.invoice_date).toBe('2025-06-15');
    expect(closed?.legal_entity).toBe('FS-EU');
    expect(periodOf('FS-EU', '2025-06-15')?.status).toBe('CLOSED');

    const [again] = byKind('DUPLICATE_INVOICE');
    const same = supplierInvoices.filter((i) => i.supplier_ref === again?.supplier_ref && i.number === again?.number);
    expect(same).toHaveLength(2);
    expect(new Set(same.map((i) => i.invoice_date.slice(0, 4))).size).toBe(1);
    expect(new Set(same.map((i) => i.invoice_date)).size).toBe(2);

    const [inactive] = byKind('INACTIVE_COUNTERPARTY');
    expect(suppliers.find((s) => s.supplier_code === inactive?.supplier_ref)?.onboarding_status).toBe('SUSPENDED');

    const unbalanced = data.payroll.journals.filter((j) => j.anomaly === 'UNBALANCED_JOURNAL');
    expect(unbalanced).toHaveLength(1);
    expect(unbalanced[0] && debits(unbalanced[0]).minus(credits(unbalanced[0])).toFixed(2)).toBe('100.00');

    const first = data.billing.invoices.filter((i) => i.paymentFirst);
    expect(first).toHaveLength(1);
    expect(first[0]?.payments.map((p) => p.amount)).toEqual([first[0]?.total]);

    expect(data.poison).toEqual({ topic: 'billing.billing.invoice', key: 'S7-POISON', value: POISON_VALUE });
    expect(() => JSON.parse(POISON_VALUE)).toThrow();
  });

  it('keeps the rows that should raise exceptions out of the control totals', () => {
    const controls = computeControls(data);
    const clean = generate({ seed: 7, size: 120, anomalies: false });
    const cleanControls = computeControls(clean);
    // Only the payment-before-invoice pair (applied after parking), the suspended vendor and the vendor with an invalid
    // IBAN (applied: onboarding, not the pipeline, holds it back) add to the clean run.
    expect(controls['procurement.supplier_invoice']).toEqual(cleanControls['procurement.supplier_invoice']);
    expect(controls['payroll.payroll_journal']).toEqual(cleanControls['payroll.payroll_journal']);
    expect(controls['procurement.supplier']?.count).toBe((cleanControls['procurement.supplier']?.count ?? 0) + 2);
    expect(controls['billing.invoice']?.count).toBe((cleanControls['billing.invoice']?.count ?? 0) + 1);
    expect(controls['billing.payment']?.count).toBe((cleanControls['billing.payment']?.count ?? 0) + 1);
    for (const [cur, c] of Object.entries(controls['payroll.payroll_journal']?.byCurrency ?? {})) {
      expect([cur, c.total]).toEqual([cur, c.credit]);
    }
  });
});
