import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFINITIONS_DIR, FLOW_DEFINITIONS, loadFlowDefinitions, policyFor } from './registry';

const copyWith = (id: string, change: (d: Record<string, unknown>) => void): string => {
  const dir = mkdtempSync(join(tmpdir(), 'flows-'));
  const d = JSON.parse(readFileSync(join(DEFINITIONS_DIR, `${id}.json`), 'utf8')) as Record<string, unknown>;
  change(d);
  writeFileSync(join(dir, `${id}.json`), JSON.stringify(d));
  return dir;
};

describe('flow definitions (flows/definitions/*.json)', () => {
  it('loads the five flows of the seed, in report order, each versioned with an owner, a policy and an SLA', () => {
    expect(FLOW_DEFINITIONS.map((f) => [f.id, f.name])).toEqual([
      ['BILLING_INVOICES', 'Billing-to-revenue (AR)'],
      ['BILLING_PAYMENTS', 'Payment settlement'],
      ['PROCUREMENT_SUPPLIER_INVOICES', 'Invoice-to-post (AP)'],
      ['PAYROLL_JOURNALS', 'Payroll journal release'],
      ['PROCUREMENT_SUPPLIERS', 'Vendor onboarding'],
    ]);
    for (const f of FLOW_DEFINITIONS) {
      expect(f.version).toBeGreaterThan(0);
      expect(f.owner).not.toBe('');
      expect(f.slaSeconds).toBeGreaterThan(0);
    }
  });

  it('refuses an unknown key, naming the file and the key', () => {
    const dir = copyWith('BILLING_PAYMENTS', (d) => (d.slaMinutes = 5));
    expect(() => loadFlowDefinitions(dir)).toThrow(/BILLING_PAYMENTS.json: \(file\): Unrecognized key.*slaMinutes/);
  });

  it('refuses a bad policy and a file whose id is not its name', () => {
    const dir = copyWith('BILLING_PAYMENTS', (d) => {
      d.policy = { default: 'SOMETIMES', byLegalEntity: {} };
      d.id = 'PAYMENTS';
    });
    expect(() => loadFlowDefinitions(dir)).toThrow(/BILLING_PAYMENTS.json: policy.default/);
  });

  it('refuses AUTOMATIC for a flow that posts amounts: approval follows postingPolicy.json there', () => {
    const dir = copyWith('PROCUREMENT_SUPPLIER_INVOICES', (d) => {
      d.policy = { default: 'APPROVAL_ABOVE_THRESHOLD', byLegalEntity: { 'FS-US': 'AUTOMATIC' } };
    });
    expect(() => loadFlowDefinitions(dir)).toThrow(/policy AUTOMATIC for action POST_INVOICE/);
  });

  it('applies a legal entity’s own policy where the file gives one', () => {
    const [flow] = loadFlowDefinitions(
      copyWith('PAYROLL_JOURNALS', (d) => {
        d.policy = { default: 'MANUAL', byLegalEntity: { 'FS-US': 'APPROVAL_ABOVE_THRESHOLD' } };
      }),
    );
    expect(policyFor(flow!, 'FS-US')).toBe('APPROVAL_ABOVE_THRESHOLD');
    expect(policyFor(flow!, 'FS-EU')).toBe('MANUAL');
  });
});
