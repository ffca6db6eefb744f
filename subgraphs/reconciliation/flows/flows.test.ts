import { FLOW_DEFINITIONS } from '../../../flows/registry';
import { FLOWS, reconciliationFlows } from './flows';

describe('reconciliation flows are the flow definitions', () => {
  it('lists exactly the definitions, with their version, name and status map from the files', () => {
    expect(FLOWS.map((f) => [f.id, f.version, f.name, f.source.table])).toEqual(
      FLOW_DEFINITIONS.map((d) => [d.id, d.version, d.name, d.trigger.source.table]),
    );
    const ap = FLOWS.find((f) => f.id === 'PROCUREMENT_SUPPLIER_INVOICES')!;
    expect(ap.statusMap.APPROVED).toEqual(['OPEN', 'PARTIALLY_PAID', 'PAID']);
  });

  it('refuses a definition without queries: one list, not two', () => {
    expect(() => reconciliationFlows([...FLOW_DEFINITIONS, { ...FLOW_DEFINITIONS[0]!, id: 'NEW_FLOW' }])).toThrow(
      'NEW_FLOW has no queries',
    );
  });
});
