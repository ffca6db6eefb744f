/**
 * The federated gateway on the real stack, with real clients: a seeded data set flows through Debezium and the CDC
 * pipeline into a scratch canonical database; the five subgraphs and the gateway serve it. A reporting query of 200
 * invoices with fields of four subgraphs returns exactly what the canonical store holds, with a number of SQL
 * statements that does not depend on the page size; Authorization and the correlation id reach every subgraph;
 * filters, sorting, cursors, totals and lookups give what SQL gives; the graphql-http audit finds no MUST failure.
 */
import { Decimal } from '../../canonical-schema/money/Decimal';
import { serverAudits } from 'graphql-http';
import { gql, seededFederation, type SeededFederation } from '../support/seededFederation';
import { bearer, principalOfInternal } from '../support/tokens';

/** A reporting tool: a service client over both legal entities. */
const REPORTING_TOOL = { subject: 'reporting-tool', roles: ['service'], legalEntities: ['FS-EU', 'FS-US'] };

const REPORT = `query Report($prefix: String!, $first: Int!, $after: String, $sort: InvoiceSort) {
  invoices(first: $first, after: $after, filter: { numberPrefix: $prefix }, sort: $sort) {
    totalCount
    totals { currency count sum { amount currency } }
    pageInfo { hasNextPage endCursor }
    edges { node {
      id number status type totalAmount { amount currency }
      vendor { name } customer { name }
      payments { reference status totalAmount { amount currency } }
      journalEntries { number totalDebits { amount currency } }
    } }
  }
}`;

interface ReportNode {
  id: string;
  number: string;
  status: string;
  type: string;
  totalAmount: { amount: string; currency: string };
  vendor: { name: string } | null;
  customer: { name: string } | null;
  payments: Array<{ reference: string; status: string; totalAmount: { amount: string; currency: string } }>;
  journalEntries: Array<{ number: string; totalDebits: Array<{ amount: string; currency: string }> }>;
}

describe('federated gateway: reporting queries over the canonical model', () => {
  let s: SeededFederation;

  beforeAll(async () => {
    s = await seededFederation('fedreport', ['--size', '110']);
    // Invoice journal entries: the sources do not produce them yet (payroll journals only), so the read path of
    // Invoice.journalEntries gets rows here: one entry per 3rd invoice of the run, debiting its total.
    await s.pool.query(
      `with picked as (
         select id, legal_entity_id, number, issue_date, currency, total_amount, row_number() over (order by number) as n
           from invoice where number like $1 || '%')
       , je as (
         insert into journal_entry (legal_entity_id, journal_type, number, transaction_date, source_document_type,
                                    source_document_id, posting_status)
         select legal_entity_id, 'INVOICE', 'JE-' || number, issue_date, 'INVOICE', id, 'APPROVED' from picked where n % 3 = 0
         returning id, source_document_id)
       insert into journal_line (journal_entry_id, line_number, account_code, debit, currency)
       select je.id, 1, '1200', p.total_amount, p.currency from je join picked p on p.id = je.source_document_id`,
      [s.prefix],
    );
  }, 300_000);

  afterAll(async () => {
    await s?.stop();
  });

  const expectedReport = async (limit: number) => {
    const { rows } = await s.pool.query<{
      id: string;
      number: string;
      status: string;
      type: string;
      total: string;
      currency: string;
      vendor: string | null;
      customer: string | null;
      payments: Array<{ reference: string; status: string; amount: string; currency: string }>;
      journals: Array<{ number: string; debit: string; currency: string }>;
    }>(
      `select i.id::text, i.number, i.status, i.type, i.total_amount::text as total, i.currency, v.name as vendor, c.name as customer,
              coalesce((select json_agg(json_build_object('reference', p.reference, 'status', p.status, 'amount', p.total_amount::text, 'currency', p.currency) order by p.payment_date, p.id)
                          from payment_allocation a join payment p on p.id = a.payment_id where a.invoice_id = i.id), '[]') as payments,
              coalesce((select json_agg(json_build_object('number', j.number, 'debit', (select sum(debit)::text from journal_line where journal_entry_id = j.id), 'currency', (select min(currency) from journal_line where journal_entry_id = j.id)))
                          from journal_entry j where j.source_document_id = i.id), '[]') as journals
         from invoice i left join vendor v on v.id = i.vendor_id left join customer c on c.id = i.customer_id
        where i.number like $1 || '%' and not i.deleted_at_source order by i.number, i.id limit $2`,
      [s.prefix, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      type: r.type,
      totalAmount: { amount: new Decimal(r.total).toFixed(2), currency: r.currency.trim() },
      vendor: r.vendor === null ? null : { name: r.vendor },
      customer: r.customer === null ? null : { name: r.customer },
      payments: r.payments.map((p) => ({
        reference: p.reference,
        status: p.status,
        totalAmount: { amount: new Decimal(p.amount).toFixed(2), currency: p.currency.trim() },
      })),
      journalEntries: r.journals.map((j) => ({
        number: j.number,
        totalDebits: [{ amount: new Decimal(j.debit).toFixed(2), currency: j.currency.trim() }],
      })),
    }));
  };

  const report = async (first: number, correlationId: string, field = 'NUMBER') => {
    const body = await gql<{ invoices: { totalCount: number; edges: Array<{ node: ReportNode }>; totals: unknown[] } }>(
      s.fed.gatewayUrl,
      REPORT,
      { prefix: s.prefix, first, sort: { field, direction: 'ASC' } },
      { authorization: await bearer(REPORTING_TOOL), 'x-correlation-id': correlationId },
    );
    expect(body.errors).toBeUndefined();
    return body.data!.invoices;
  };

  it('returns 200 invoices with their vendor or customer, payments and journal entries, exactly as stored', async () => {
    const page = await report(200, `report-200-${s.seed}`);
    const expected = await expectedReport(200);
    expect(expected).toHaveLength(200);
    expect(page.edges.map((e) => e.node)).toEqual(expected);
    expect(expected.filter((i) => i.payments.length).length).toBeGreaterThan(20);
    expect(expected.filter((i) => i.journalEntries.length).length).toBeGreaterThan(50);
  });

  it('sends as many SQL statements for 200 invoices as for 20, and forwards Authorization and the correlation id to every subgraph', async () => {
    const statements = async (first: number) => {
      const id = `report-sql-${first}-${s.seed}`;
      // By issue date, payables and receivables interleave: both pages ask the vendors subgraph for vendors
      // and customers, so only the page size differs between them.
      const page = await report(first, id, 'ISSUE_DATE');
      expect(page.edges).toHaveLength(first);
      expect(new Set(page.edges.map((e) => e.node.type))).toEqual(new Set(['ACCOUNTS_PAYABLE', 'ACCOUNTS_RECEIVABLE']));
      const mine = s.fed.reports.filter((r) => r.correlationId === id);
      return {
        sql: mine.reduce((n, r) => n + r.sqlQueries, 0),
        subgraphs: [...new Set(mine.map((r) => r.subgraph))].sort(),
        authorizations: [...new Set(mine.map((r) => r.authorization))],
      };
    };
    const small = await statements(20);
    const large = await statements(200);
    expect(small.subgraphs).toEqual(['invoices', 'journals', 'payments', 'vendors']);
    expect(large.subgraphs).toEqual(small.subgraphs);
    // Each subgraph received the gateway's internal token for the reporting tool's principal (and nothing else).
    for (const auth of [...small.authorizations, ...large.authorizations]) {
      expect(await principalOfInternal(auth)).toEqual(REPORTING_TOOL);
    }
    expect(large.sql).toBe(small.sql);
    // page + totals, vendors, customers, payments, journal entries and their lines: a handful, not one per row.
    expect(small.sql).toBeLessThanOrEqual(10);
  });

  it("lists vendors with each one's invoices, in as many SQL statements for 10 vendors as for 2", async () => {
    const query = `query($n: Int!) { vendors(first: $n, filter: { legalEntityId: ["FS-EU"], status: ["ACTIVE"] }) {
      edges { node { id name invoices(first: 3, sort: { field: NUMBER }) { totalCount totals { currency count } edges { node { number } } } } } } }`;
    type Page = {
      vendors: {
        edges: Array<{
          node: {
            id: string;
            name: string;
            invoices: { totalCount: number; edges: Array<{ node: { number: string } }> };
          };
        }>;
      };
    };
    const run = async (n: number) => {
      const id = `vendors-${n}-${s.seed}`;
      const body = await gql<Page>(s.fed.gatewayUrl, query, { n }, { 'x-correlation-id': id });
      expect(body.errors).toBeUndefined();
      const sql = s.fed.reports.filter((r) => r.correlationId === id).reduce((k, r) => k + r.sqlQueries, 0);
      return { vendors: body.data!.vendors.edges.map((e) => e.node), sql };
    };
    const small = await run(2);
    const large = await run(10);
    expect(large.vendors).toHaveLength(10);
    expect(large.sql).toBe(small.sql);
    const { rows } = await s.pool.query<{ id: string; name: string; total: number; numbers: string[] | null }>(
      `select v.id::text, v.name, (select count(*)::int from invoice i where i.vendor_id = v.id and not i.deleted_at_source) as total,
              (select array_agg(number order by number, id) from (select number, id from invoice i where i.vendor_id = v.id
                 and not i.deleted_at_source order by number, id limit 3) f) as numbers
         from vendor v where v.legal_entity_id = 'FS-EU' and v.status = 'ACTIVE' and not v.deleted_at_source
        order by v.name, v.id limit 10`,
    );
    expect(
      large.vendors.map((v) => ({
        id: v.id,
        name: v.name,
        total: v.invoices.totalCount,
        numbers: v.invoices.edges.map((e) => e.node.number),
      })),
    ).toEqual(rows.map((r) => ({ id: r.id, name: r.name, total: r.total, numbers: r.numbers ?? [] })));
    expect(rows.filter((r) => r.total > 0).length).toBeGreaterThan(5);
  });

  it('filters, sorts and pages with cursors; the totals cover every page', async () => {
    const filter = {
      numberPrefix: s.prefix,
      type: 'ACCOUNTS_PAYABLE',
      currency: ['EUR'],
      minAmount: '500',
      maxAmount: '20000.50',
    };
    const { rows } = await s.pool.query<{ number: string; total: string }>(
      `select number, total_amount::text as total from invoice where number like $1 || '%' and type = 'ACCOUNTS_PAYABLE'
          and currency = 'EUR' and total_amount between 500 and 20000.50 and not deleted_at_source
        order by total_amount desc, id desc`,
      [s.prefix],
    );
    expect(rows.length).toBeGreaterThan(10);
    const seen: string[] = [];
    let after: string | null = null;
    let totals: unknown = null;
    for (let pages = 0; pages < 50; pages++) {
      const body: {
        data?: {
          invoices: {
            totalCount: number;
            totals: unknown;
            pageInfo: { hasNextPage: boolean; endCursor: string | null };
            edges: Array<{ node: { number: string } }>;
          };
        };
      } = await gql(
        s.fed.gatewayUrl,
        `query($filter: InvoiceFilter, $after: String) { invoices(filter: $filter, first: 7, after: $after, sort: { field: TOTAL_AMOUNT, direction: DESC }) {
           totalCount totals { currency count sum { amount currency } } pageInfo { hasNextPage endCursor } edges { node { number } } } }`,
        { filter, after },
      );
      const conn = body.data!.invoices;
      expect(conn.totalCount).toBe(rows.length);
      totals = conn.totals;
      seen.push(...conn.edges.map((e) => e.node.number));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(rows.map((r) => r.number));
    const sum = rows.reduce((d, r) => d.plus(r.total), new Decimal(0));
    expect(totals).toEqual([{ currency: 'EUR', count: rows.length, sum: { amount: sum.toFixed(2), currency: 'EUR' } }]);
  });

  it('finds records by canonical id and by source reference', async () => {
    const ref = await s.pool.query<{ source_id: string; canonical_id: string; number: string }>(
      `select r.source_id, r.canonical_id::text, i.number from source_reference r join invoice i on i.id = r.canonical_id
        where r.system = 'billing' and r.source_table = 'billing.invoice' and i.number like $1 || '%' order by i.number limit 1`,
      [s.prefix],
    );
    const { source_id, canonical_id, number } = ref.rows[0]!;
    const body = await gql<Record<string, { number?: string; id?: string; name?: string } | null>>(
      s.fed.gatewayUrl,
      `query($id: ID!, $src: String!, $sup: String!, $run: String!) {
        byId: invoice(id: $id) { number }
        bySource: invoiceBySourceReference(system: "billing", sourceId: $src) { id number }
        vendor: vendorBySourceReference(system: "procurement", sourceId: $sup) { name }
        journal: journalEntryBySourceReference(system: "payroll", sourceId: $run) { number }
        missing: invoiceBySourceReference(system: "billing", sourceId: "no-such-row") { id }
      }`,
      {
        id: canonical_id,
        src: source_id,
        sup: `${s.prefix}SUP-0001`,
        run: (
          await s.pool.query<{ number: string }>(
            `select number from journal_entry where number like $1 || 'PR-%' limit 1`,
            [s.prefix],
          )
        ).rows[0]!.number,
      },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.byId).toEqual({ number });
    expect(body.data!.bySource).toEqual({ id: canonical_id, number });
    expect(body.data!.vendor?.name).toBe(
      (
        await s.pool.query<{ name: string }>(
          `select v.name from vendor v join source_reference r on r.canonical_id = v.id where r.source_id = $1`,
          [`${s.prefix}SUP-0001`],
        )
      ).rows[0]!.name,
    );
    expect(body.data!.journal?.number).toMatch(new RegExp(`^${s.prefix}PR-`));
    expect(body.data!.missing).toBeNull();
  });

  it('refuses bad arguments with errors that name the argument', async () => {
    const body = await gql(s.fed.gatewayUrl, `{ invoices(first: 600) { totalCount } }`);
    expect(body.errors?.[0]?.message).toMatch(/^first: must be an integer from 0 to 500, got 600/);
    const cursor = await gql(s.fed.gatewayUrl, `{ invoices(first: 1, after: "bogus") { totalCount } }`);
    expect(cursor.errors?.[0]?.message).toMatch(/after: "bogus" is not a cursor returned by this API/);
    const period = await gql(s.fed.gatewayUrl, `{ payments(filter: { period: "2026-3" }) { totalCount } }`);
    expect(period.errors?.[0]?.message).toMatch(/filter.period: "2026-3" is not a period; write it as YYYY-MM/);
  });

  it('passes the graphql-http audit of GraphQL over HTTP with no MUST failure, and answers /healthz and /readyz', async () => {
    const authorization = await bearer();
    const fetchFn: typeof fetch = (input, init) =>
      fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), authorization } });
    const results = await Promise.all(serverAudits({ url: s.fed.gatewayUrl, fetchFn }).map((a) => a.fn()));
    expect(results.length).toBeGreaterThan(30);
    const mustFailures = results
      .filter((r) => r.name.startsWith('MUST') && r.status !== 'ok')
      .map((r) => `${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(mustFailures).toEqual([]);
    const base = s.fed.gatewayUrl.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});
