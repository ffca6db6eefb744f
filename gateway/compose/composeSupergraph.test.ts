import { parse, print, type DocumentNode } from 'graphql';
import { invoicesSubgraph } from '../../subgraphs/invoices';
import { journalsSubgraph } from '../../subgraphs/journals';
import { paymentsSubgraph } from '../../subgraphs/payments';
import { postingsSubgraph } from '../../subgraphs/postings';
import { reconciliationSubgraph } from '../../subgraphs/reconciliation';
import { vendorsSubgraph } from '../../subgraphs/vendors';
import { composeSupergraph } from './composeSupergraph';

const modules = [
  vendorsSubgraph,
  invoicesSubgraph,
  paymentsSubgraph,
  journalsSubgraph,
  reconciliationSubgraph,
  postingsSubgraph,
];
const subgraphs = (replace: Record<string, DocumentNode> = {}) =>
  modules.map((m) => ({ name: m.name, url: `http://${m.name}/graphql`, typeDefs: replace[m.name] ?? m.typeDefs }));

/** A type's block in an SDL text. */
const typeBlock = (sdl: string, name: string) => new RegExp(`\\ntype ${name} [^{]*\\{([^}]*)\\}`).exec(sdl)?.[1] ?? '';

describe('supergraph composition of the subgraphs', () => {
  it('composes, with the cross-subgraph fields and the subscriptions in the public schema', () => {
    const result = composeSupergraph(subgraphs());
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const invoice = typeBlock(result.supergraphSdl, 'Invoice');
    for (const field of [
      'vendor: Vendor',
      'payments: [Payment!]!',
      'journalEntries: [JournalEntry!]!',
      'reconciliation: RecordReconciliation!',
    ]) {
      expect(invoice).toContain(field);
    }
    expect(typeBlock(result.supergraphSdl, 'Vendor')).toContain('invoices(');
    expect(typeBlock(result.supergraphSdl, 'JournalEntry')).toContain('sourceDocument: SourceDocument');
    const subscription = typeBlock(result.supergraphSdl, 'Subscription');
    for (const field of [
      'invoiceStatusChanged(',
      'paymentSettled(',
      'journalPosted(',
      'exceptionRaised(',
      'reconciliationChanged(',
    ]) {
      expect(subscription).toContain(field);
    }
  });

  it('fails when a subgraph change breaks composition, naming the conflict', () => {
    // Money is a shared value type: one subgraph turning its amount into a Float breaks every other subgraph's Money.
    const broken = parse(
      print(paymentsSubgraph.typeDefs).replace(/(type Money[^{]*\{[^}]*amount: )String!/, '$1Float!'),
    );
    expect(print(broken)).toMatch(/amount: Float!/);
    const result = composeSupergraph(subgraphs({ payments: broken }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toMatch(/Money\.amount/);
  });

  it('fails when a subgraph adds to an entity a field another subgraph owns, without sharing it', () => {
    const broken = parse(`${print(journalsSubgraph.typeDefs)}\nextend type Invoice { number: String! }`);
    const result = composeSupergraph(subgraphs({ journals: broken }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.join('\n')).toMatch(/Invoice\.number/);
  });
});
