import { limitFor, loadPostingPolicy, may, needsApproval } from './PostingPolicy';

const policy = loadPostingPolicy();
const who = (roles: string[]) => ({ subject: 's', roles, legalEntities: ['FS-EU'] });

describe('posting policy', () => {
  it('needs approval above the entity threshold, or when no threshold is known for the currency', () => {
    expect(needsApproval(policy, 'FS-EU', 'EUR', '10000.00')).toBe(false);
    expect(needsApproval(policy, 'FS-EU', 'EUR', '10000.01')).toBe(true);
    expect(needsApproval(policy, 'FS-EU', 'CHF', '1.00')).toBe(true);
    expect(needsApproval(policy, 'FS-XX', 'EUR', '1.00')).toBe(true);
  });

  it('takes the highest limit over the roles that grant the permission', () => {
    expect(limitFor(policy, who(['accountant']), 'POST', 'EUR')!.toFixed(2)).toBe('250000.00');
    expect(limitFor(policy, who(['accountant', 'approver']), 'POST', 'EUR')!.toFixed(2)).toBe('5000000.00');
    expect(limitFor(policy, who(['accountant']), 'APPROVE', 'EUR')!.toFixed(2)).toBe('0.00');
    expect(limitFor(policy, who(['admin']), 'APPROVE', 'EUR')).toBeNull();
    expect(limitFor(policy, who(['accountant']), 'POST', 'CHF')!.toFixed(2)).toBe('0.00');
  });

  it("lowers an approver's approval limit to their own, never raises it, and leaves posting limits alone", () => {
    const junior = { subject: 'junior.approver@finsync.example', roles: ['approver'], legalEntities: ['FS-EU'] };
    expect(limitFor(policy, junior, 'APPROVE', 'EUR')!.toFixed(2)).toBe('15000.00');
    expect(limitFor(policy, junior, 'POST', 'EUR')!.toFixed(2)).toBe('5000000.00');
    expect(limitFor(policy, { ...junior, roles: ['controller'] }, 'APPROVE', 'EUR')!.toFixed(2)).toBe('15000.00');
    expect(limitFor(policy, { ...junior, roles: ['accountant'] }, 'APPROVE', 'EUR')!.toFixed(2)).toBe('0.00');
    expect(limitFor(policy, who(['approver']), 'APPROVE', 'EUR')!.toFixed(2)).toBe('5000000.00');
  });

  it('grants permissions by role only', () => {
    expect(may(policy, who(['accountant']), 'POST')).toBe(true);
    expect(may(policy, who(['accountant']), 'APPROVE')).toBe(false);
    expect(may(policy, who([]), 'POST')).toBe(false);
  });
});
