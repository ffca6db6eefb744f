import { loadMappingRules, ruleKey } from './loadMappingRules';

describe('the mapping rules shipped in cdc/mapping/rules', () => {
  const rules = loadMappingRules();

  it('all parse, one per captured source table, each versioned', () => {
    expect([...rules.keys()].sort()).toEqual([
      'billing/billing.credit_memo',
      'billing/billing.customer',
      'billing/billing.invoice',
      'billing/billing.invoice_line',
      'billing/billing.payment',
      'erp/public.account_account',
      'erp/public.account_invoice',
      'erp/public.account_invoice_line',
      'erp/public.account_invoice_tax',
      'erp/public.account_move',
      'erp/public.account_move_line',
      'erp/public.account_payment',
      'erp/public.account_period',
      'erp/public.party_identifier',
      'erp/public.party_party',
      'payroll/public.payroll_journal',
      'procurement/public.purchase_order',
      'procurement/public.supplier',
      'procurement/public.supplier_invoice',
      'procurement/public.supplier_invoice_line',
    ]);
    for (const rule of rules.values()) expect(rule.version).toBeGreaterThanOrEqual(1);
  });

  it('map suppliers to vendors keyed by supplier code', () => {
    const rule = rules.get(ruleKey('procurement', 'public.supplier'));
    expect(rule).toMatchObject({ target: 'VENDOR', sourceId: 'supplier_code' });
  });
});
