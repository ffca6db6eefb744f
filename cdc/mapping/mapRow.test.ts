import type { CodeTranslations } from './CodeTranslations';
import { loadMappingRules, ruleKey } from './loadMappingRules';
import { mapRow, sourceIdOf } from './mapRow';

const rules = loadMappingRules();
const translations: CodeTranslations = new Map([
  [
    'PAYROLL_COST_CENTER',
    new Map([['CC-ENG', { targetType: 'DIMENSION:DEPARTMENT', targetCode: 'D-ENG', version: 1 }]]),
  ],
  ['BILLING_PRODUCT', new Map([['SUB-PRO', { targetType: 'ACCOUNT', targetCode: '4000', version: 1 }]])],
]);

describe('mapRow with the shipped rules', () => {
  it('maps a procurement supplier to a vendor, translating the onboarding status', () => {
    const rule = rules.get(ruleKey('procurement', 'public.supplier'))!;
    const row = {
      id: 3,
      supplier_code: 'S1-SUP-0003',
      legal_name: ' Acme GmbH ',
      tax_id: 'de123',
      iban: 'de89 3704 0044 0532 0130 00',
      email: null,
      onboarding_status: 'APPROVED',
      currency: 'eur',
      country: 'de',
      legal_entity: 'FS-EU',
    };
    expect(mapRow(rule, row, translations)).toEqual({
      ok: true,
      references: {},
      value: {
        legalEntityId: 'FS-EU',
        name: 'Acme GmbH',
        taxId: 'DE123',
        iban: 'DE89370400440532013000',
        email: null,
        currency: 'EUR',
        country: 'DE',
        status: 'ACTIVE',
      },
    });
    expect(sourceIdOf(rule, row)).toBe('S1-SUP-0003');
  });

  it('reports an onboarding status the rule does not know, naming the field and the known values', () => {
    const rule = rules.get(ruleKey('procurement', 'public.supplier'))!;
    const result = mapRow(
      rule,
      { supplier_code: 'X', legal_name: 'X', onboarding_status: 'ON_HOLD', legal_entity: 'FS-EU', currency: 'EUR' },
      translations,
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          field: 'status',
          code: 'UNMAPPED_VALUE',
          message: expect.stringContaining(
            '"ON_HOLD" has no canonical equivalent (known: APPROVED, PENDING_REVIEW, DRAFT, SUSPENDED)',
          ),
        },
      ],
    });
  });

  it('maps payroll lines from the JSON column and turns provider cost centers into ERP departments', () => {
    const rule = rules.get(ruleKey('payroll', 'public.payroll_journal'))!;
    const lines = JSON.stringify([
      {
        line_no: 1,
        gl_account: '6100',
        cost_center: 'CC-ENG',
        description: 'Gross salaries',
        debit: '1000.00',
        credit: '0.00',
      },
      { line_no: 2, gl_account: '2200', cost_center: null, description: 'Net pay', debit: '0.00', credit: '1000.00' },
    ]);
    const result = mapRow(
      rule,
      {
        run_code: 'PR-1',
        legal_entity: 'FS-EU',
        period_end: '2026-06-30',
        pay_date: '2026-06-28',
        currency: 'EUR',
        status: 'RELEASED',
        lines,
      },
      translations,
    );
    expect(result.ok && result.value).toMatchObject({
      journalType: 'PAYROLL',
      number: 'PR-1',
      postingStatus: 'APPROVED',
      lines: [
        { lineNumber: 1, accountCode: '6100', debit: '1000.00', credit: '0.00', dimensions: { DEPARTMENT: 'D-ENG' } },
        { lineNumber: 2, accountCode: '2200', debit: '0.00', credit: '1000.00', dimensions: {} },
      ],
    });
  });

  it('reports a payroll cost center without a translation', () => {
    const rule = rules.get(ruleKey('payroll', 'public.payroll_journal'))!;
    const lines = JSON.stringify([{ line_no: 1, gl_account: '6100', cost_center: 'CC-XYZ', debit: '1', credit: '0' }]);
    const result = mapRow(
      rule,
      { run_code: 'PR-2', legal_entity: 'FS-EU', period_end: '2026-06-30', currency: 'EUR', status: 'RELEASED', lines },
      translations,
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          field: 'lines[1].dimensions',
          code: 'UNMAPPED_CODE',
          message: 'payroll cost center "CC-XYZ" has no translation to an ERP code (field lines[1].dimensions)',
        },
      ],
    });
  });

  it('turns a billing product code into its revenue account and keeps the invoice reference', () => {
    const rule = rules.get(ruleKey('billing', 'billing.invoice_line'))!;
    const result = mapRow(
      rule,
      {
        id: 9,
        invoice_id: 4,
        line_no: 1,
        product_code: 'SUB-PRO',
        quantity: '2.0000',
        unit_price: '49.50',
        amount: '99.00',
        tax_code: 'US-EXEMPT',
      },
      translations,
    );
    expect(result).toEqual({
      ok: true,
      references: { invoiceId: '4' },
      value: expect.objectContaining({
        accountCode: '4000',
        unitPrice: '49.50',
        totalAmount: '99.00',
        taxCode: 'US-EXEMPT',
      }),
    });
  });
});
