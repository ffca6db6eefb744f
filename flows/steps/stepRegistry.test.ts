import { FLOW_DEFINITIONS } from '../registry';
import { missingSteps } from './stepRegistry';

describe('the steps the flow definitions name', () => {
  it('are implemented for the flows the engine runs, and vendor onboarding’s are wired', () => {
    const missing = Object.fromEntries(FLOW_DEFINITIONS.map((f) => [f.id, missingSteps(f)]));
    expect(missing.PROCUREMENT_SUPPLIER_INVOICES).toEqual([]);
    expect(missing.BILLING_INVOICES).toEqual([]);
    expect(missing.PROCUREMENT_SUPPLIERS).toEqual([]);
  });
});
