import { buildSchema, parse } from 'graphql';
import { invoicesSubgraph } from '../../subgraphs/invoices';
import { journalsSubgraph } from '../../subgraphs/journals';
import { paymentsSubgraph } from '../../subgraphs/payments';
import { postingsSubgraph } from '../../subgraphs/postings';
import { reconciliationSubgraph } from '../../subgraphs/reconciliation';
import { vendorsSubgraph } from '../../subgraphs/vendors';
import { composeSupergraph } from '../compose/composeSupergraph';
import { operationCost } from './useQueryCost';

const composition = composeSupergraph(
  [vendorsSubgraph, invoicesSubgraph, paymentsSubgraph, journalsSubgraph, reconciliationSubgraph, postingsSubgraph].map(
    (m) => ({ name: m.name, url: `http://${m.name}/graphql`, typeDefs: m.typeDefs }),
  ),
);
if (!composition.ok) throw new Error(composition.errors.join('\n'));
const schema = buildSchema(composition.supergraphSdl, { assumeValidSDL: true });
const cost = (query: string, variables: Record<string, unknown> = {}) =>
  operationCost(schema, parse(query), variables, undefined);

describe('the page-aware cost of an operation', () => {
  it('counts the rows a page asks for: a page of n invoices costs n times one invoice', () => {
    const page = (n: number) => cost(`{ invoices(first: ${n}) { edges { node { number vendor { name } } } } }`);
    // connection 1 + n × (edges 1 + node 1 + vendor 1)
    expect(page(1)).toBe(4);
    expect(page(200)).toBe(601);
    expect(cost('query($n: Int!) { invoices(first: $n) { edges { node { id } } } }', { n: 300 })).toBe(601);
  });

  it('applies the default page (first: 50) when none is asked for, and counts scalars as free', () => {
    expect(cost('{ invoices { totalCount edges { node { id number } } } }')).toBe(1 + 50 * 2);
  });

  it('assumes 10 items for lists without a page (an invoice’s payments)', () => {
    expect(cost('{ invoice(id: "x") { payments { reference } } }')).toBe(1 + 10 * 1);
  });

  it('multiplies nested pages: a cost bomb is far over the default limit of 50,000', () => {
    const bomb = `{ invoices(first: 500) { edges { node { vendor { invoices(first: 500) { edges { node {
      payments { reference } } } } } } } } }`;
    expect(cost(bomb)).toBeGreaterThan(250_000 * 10);
  });

  it('keeps a reporting page of 200 invoices with vendor, payments and journal entries under the limit', () => {
    const report = `query($first: Int!) { invoices(first: $first) { totalCount totals { currency count sum { amount } }
      edges { node { id number totalAmount { amount currency } vendor { name } customer { name }
        payments { reference totalAmount { amount currency } } journalEntries { number totalDebits { amount currency } } } } } }`;
    // docs/security.md quotes this number.
    expect(cost(report, { first: 200 })).toBe(31_001);
  });
});
