/**
 * Live subscriptions through the gateway, with a real graphql-ws client: a change committed in a source database
 * travels Debezium → CDC pipeline → outbox → canonical events topic → subgraph (its own consumer group) → gateway,
 * which completes the payload with fields of other subgraphs. Two replicas of every subgraph and of the gateway
 * run over the same store and topic: a client of each receives the event.
 */
import { Client as PgClient } from 'pg';
import { createConnection } from 'mysql2/promise';
import { startFederation, type FederationStack } from '../support/federationStack';
import { seededFederation, type SeededFederation } from '../support/seededFederation';
import { stackEnv } from '../support/stackEnv';
import { nextResults, wsClient } from '../support/wsClient';
import { mask } from '../../security/mask';
import { bearer, principalOfInternal } from '../support/tokens';
import { waitFor } from '../support/waitFor';

const DASHBOARD_1 = { subject: 'dashboard-1', roles: ['analyst'], legalEntities: ['FS-EU', 'FS-US'] };
const DASHBOARD_2 = { subject: 'dashboard-2', roles: ['analyst'], legalEntities: ['FS-EU', 'FS-US'] };

const INVOICE_STATUS = `subscription($customer: ID) {
  invoiceStatusChanged(counterpartyId: $customer, status: [VOID]) {
    previousStatus status correlationId
    invoice { number status totalAmount { amount currency } customer { name } payments { reference totalAmount { amount } } }
  }
}`;

interface StatusChange {
  previousStatus: string;
  status: string;
  invoice: {
    number: string;
    status: string;
    customer: { name: string };
    payments: Array<{ reference: string; totalAmount: { amount: string } }>;
  };
}

describe('federated subscriptions fed by the canonical events topic', () => {
  let s: SeededFederation;
  let replica: FederationStack;

  beforeAll(async () => {
    s = await seededFederation('fedsubs', ['--size', '20']);
    replica = await startFederation({ databaseUrl: s.db.url, eventsTopic: s.eventsTopic });
    await Promise.all(replica.subgraphs.map((g) => g.events.joined));
  }, 300_000);

  afterAll(async () => {
    await replica?.stop();
    await s?.stop();
  });

  const settleSubscriptions = () => new Promise((r) => setTimeout(r, 1_500));

  it("delivers an invoice's status change from its billing database to clients of both gateways, with fields of three subgraphs", async () => {
    const { rows } = await s.pool.query<{
      id: string;
      source_id: string;
      customer_id: string;
      number: string;
      status: string;
      name: string;
    }>(
      `select i.id::text, r.source_id, i.customer_id::text, i.number, i.status, c.name from invoice i
         join source_reference r on r.canonical_id = i.id and r.source_table = 'billing.invoice'
         join customer c on c.id = i.customer_id
        where i.number like $1 || '%' and i.status in ('PAID', 'PARTIALLY_PAID')
          and exists (select 1 from payment_allocation a where a.invoice_id = i.id)
        order by i.number limit 1`,
      [s.prefix],
    );
    const target = rows[0]!;
    const payments = await s.pool.query<{ reference: string }>(
      `select p.reference from payment_allocation a join payment p on p.id = a.payment_id where a.invoice_id = $1 order by p.payment_date, p.id`,
      [target.id],
    );
    const clients = [
      wsClient(s.fed.gatewayUrl, { authorization: await bearer(DASHBOARD_1), 'x-correlation-id': `dash-${s.seed}` }),
      wsClient(replica.gatewayUrl, { authorization: await bearer(DASHBOARD_2) }),
    ];
    try {
      const subs = clients.map((c) =>
        c.iterate<{ invoiceStatusChanged: StatusChange }>({
          query: INVOICE_STATUS,
          variables: { customer: target.customer_id },
        }),
      );
      await settleSubscriptions();
      const billing = await createConnection({ ...stackEnv.billingMariadb });
      await billing.query(`update invoice set status = 'void' where id = ?`, [Number(target.source_id)]);
      await billing.end();
      const received = await Promise.all(subs.map((it) => nextResults(it, 1, 90_000)));
      for (const [result] of received) {
        expect(result!.errors).toBeUndefined();
        expect(result!.data!.invoiceStatusChanged).toMatchObject({
          previousStatus: target.status,
          status: 'VOID',
          invoice: {
            number: target.number,
            status: 'VOID',
            customer: { name: target.name },
            payments: payments.rows.map((p) => ({ reference: p.reference })),
          },
        });
      }
      // The subscriber's identity reached the subgraph that runs the subscription (graphql-ws connection params)
      // and, for each event, the subgraphs whose fields completed it (HTTP headers).
      const mine = s.fed.reports.filter((r) => r.correlationId === `dash-${s.seed}`);
      expect(mine.filter((r) => r.operationName === '(subscription)').map((r) => r.subgraph)).toEqual(['invoices']);
      const fetches = mine.filter((r) => r.operationName !== '(subscription)');
      expect([...new Set(fetches.map((r) => r.subgraph))].sort()).toEqual(['payments', 'vendors']);
      // Each of them as the dashboard's principal (the gateway's internal token for it).
      for (const auth of new Set(mine.map((r) => r.authorization))) {
        expect(await principalOfInternal(auth)).toEqual(DASHBOARD_1);
      }
      await Promise.all(subs.map((it) => it.return?.()));
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });

  it('announces a settled payment and a newly raised exception, filtered by counterparty and code', async () => {
    const pending = await s.pool.query<{ source_id: string; reference: string; customer_id: string; name: string }>(
      `select r.source_id, p.reference, p.customer_id::text, c.name from payment p
         join source_reference r on r.canonical_id = p.id and r.source_table = 'billing.payment'
         join customer c on c.id = p.customer_id
        where p.reference like $1 || '%' and p.status = 'PENDING' order by p.reference limit 1`,
      [s.prefix],
    );
    const supplier = await s.pool.query<{ source_id: string }>(
      `select r.source_id from source_reference r join vendor v on v.id = r.canonical_id
        where r.source_table = 'public.supplier' and r.source_id like $1 || '%' and v.status = 'ACTIVE' order by r.source_id limit 1`,
      [s.prefix],
    );
    const client = wsClient(s.fed.gatewayUrl, { authorization: await bearer() });
    try {
      const settled = client.iterate<{
        paymentSettled: {
          payment: {
            reference: string;
            status: string;
            customer: { name: string };
            allocations: Array<{ invoice: { number: string } }>;
          };
        };
      }>({
        query: `subscription($c: ID) { paymentSettled(counterpartyId: $c) { payment { reference status customer { name } allocations { invoice { number } } } } }`,
        variables: { c: pending.rows[0]!.customer_id },
      });
      const raised = client.iterate<{
        exceptionRaised: { exception: { code: string; message: string; status: string } };
      }>({
        query: `subscription { exceptionRaised(code: ["PERIOD_CLOSED"], legalEntityId: "FS-EU") { exception { code message status } } }`,
      });
      await settleSubscriptions();
      const billing = await createConnection({ ...stackEnv.billingMariadb });
      await billing.query(`update payment set status = 'settled' where id = ?`, [Number(pending.rows[0]!.source_id)]);
      await billing.end();
      const procurement = new PgClient({ ...stackEnv.procurementPg });
      await procurement.connect();
      const number = `${s.prefix}PI-LATE-1`;
      await procurement.query(
        `insert into supplier_invoice (supplier_ref, number, amount, currency, invoice_date, legal_entity, status)
         values ($1, $2, 100.00, 'EUR', '2025-06-20', 'FS-EU', 'APPROVED')`,
        [supplier.rows[0]!.source_id, number],
      );
      await procurement.end();
      const [pay] = await nextResults(settled, 1, 90_000);
      expect(pay!.data!.paymentSettled.payment).toMatchObject({
        reference: pending.rows[0]!.reference,
        status: 'SETTLED',
        customer: { name: pending.rows[0]!.name },
      });
      expect(pay!.data!.paymentSettled.payment.allocations).toHaveLength(1);
      const [exc] = await nextResults(raised, 1, 90_000);
      expect(exc!.data!.exceptionRaised.exception).toMatchObject({ code: 'PERIOD_CLOSED', status: 'OPEN' });
      expect(exc!.data!.exceptionRaised.exception.message).toContain(number);
      await settled.return?.();
      await raised.return?.();
    } finally {
      await client.dispose();
    }
  });

  it('streams a reconciliation: its current state at once, then the change a source update brings; and a journal posting-status change', async () => {
    const { rows } = await s.pool.query<{ source_id: string; le: string; period: string }>(
      `select r.source_id, i.legal_entity_id as le, to_char(i.issue_date, 'YYYY-MM') as period
         from invoice i join source_reference r on r.canonical_id = i.id and r.source_table = 'billing.invoice'
        where i.number like $1 || '%' and i.status <> 'VOID' order by i.number desc limit 1`,
      [s.prefix],
    );
    const inv = rows[0]!;
    const journal = await s.pool.query<{ number: string }>(
      `select number from journal_entry where number like $1 || 'PR-%' and posting_status = 'APPROVED' order by number limit 1`,
      [s.prefix],
    );
    const client = wsClient(s.fed.gatewayUrl, { authorization: await bearer() });
    try {
      type Change = {
        reconciliationChanged: {
          previousStatus: string | null;
          reconciliation: {
            status: string;
            stages: Array<{ stage: string; count: number | null; totals: Array<{ sum: { amount: string } }> }>;
          };
        };
      };
      const live = client.iterate<Change>({
        query: `subscription($le: ID!, $p: String!, $n: String) {
          reconciliationChanged(flow: "BILLING_INVOICES", legalEntityId: $le, period: $p, numberPrefix: $n) {
            previousStatus reconciliation { status stages { stage count totals { sum { amount } } } } } }`,
        variables: { le: inv.le, p: inv.period, n: s.prefix },
      });
      const posted = client.iterate<{
        journalPosted: { status: string; previousStatus: string; journalEntry: { number: string } };
      }>({
        query: `subscription { journalPosted(status: [DRAFT]) { status previousStatus journalEntry { number } } }`,
      });
      const [first] = await nextResults(live, 1, 30_000);
      const before = first!.data!.reconciliationChanged;
      expect(before.previousStatus).toBeNull();
      expect(before.reconciliation.status).toBe('IN_SYNC');
      const sourceTotal = (c: Change['reconciliationChanged']) =>
        c.reconciliation.stages
          .find((st) => st.stage === 'SOURCE')!
          .totals.reduce((d, t) => d + Number(t.sum.amount), 0);
      await settleSubscriptions();
      const billing = await createConnection({ ...stackEnv.billingMariadb });
      await billing.query(`update invoice set total = total + 25.00, subtotal = subtotal + 25.00 where id = ?`, [
        Number(inv.source_id),
      ]);
      await billing.end();
      const payroll = new PgClient({ ...stackEnv.procurementPg, database: 'payroll' });
      await payroll.connect();
      await payroll.query(`update payroll_journal set status = 'DRAFT' where run_code = $1`, [journal.rows[0]!.number]);
      await payroll.end();
      // The next state: the source total moved by 25.00, whether or not the canonical store has caught up yet.
      const [next] = await nextResults(live, 1, 90_000);
      const after = next!.data!.reconciliationChanged;
      expect(sourceTotal(after) - sourceTotal(before)).toBeCloseTo(25, 2);
      expect(after.previousStatus).toBe('IN_SYNC');
      const [j] = await nextResults(posted, 1, 90_000);
      expect(j!.data!.journalPosted).toEqual({
        status: 'DRAFT',
        previousStatus: 'APPROVED',
        journalEntry: { number: journal.rows[0]!.number },
      });
      await live.return?.();
      await posted.return?.();
    } finally {
      await client.dispose();
    }
  });

  it('shares one execution among identical subscribers of one scope, and keeps scopes apart', async () => {
    // One FS-EU and one FS-US billing invoice, each with its customer's tax id (masked for analysts).
    const pick = async (le: string) => {
      const { rows } = await s.pool.query<{ source_id: string; number: string; tax_id: string }>(
        `select r.source_id, i.number, c.tax_id from invoice i
           join source_reference r on r.canonical_id = i.id and r.source_table = 'billing.invoice'
           join customer c on c.id = i.customer_id
          where i.number like $1 || '%' and i.legal_entity_id = $2 and i.status <> 'VOID' and c.tax_id is not null
          order by i.number limit 1`,
        [s.prefix, le],
      );
      return rows[0]!;
    };
    const [eu, us] = [await pick('FS-EU'), await pick('FS-US')];
    const query = `subscription Dashboard {
      invoiceStatusChanged(status: [VOID]) { status invoice { number legalEntityId customer { taxId } } }
    }`;
    const both = ['FS-EU', 'FS-US'];
    const people = [
      // Three analysts of both entities: one scope, one execution.
      ...[1, 2, 3].map((i) => ({ subject: `analyst-${i}@finsync.test`, roles: ['analyst'], legalEntities: both })),
      // An accountant sees tax ids in clear; an analyst of FS-US only sees FS-US's invoices: two more scopes.
      { subject: 'accountant@finsync.test', roles: ['accountant'], legalEntities: both },
      { subject: 'analyst-us@finsync.test', roles: ['analyst'], legalEntities: ['FS-US'] },
    ];
    type Change = {
      invoiceStatusChanged: { invoice: { number: string; legalEntityId: string; customer: { taxId: string } } };
    };
    const from = s.fed.reports.length;
    const since = (subgraph: string, subscription: boolean) =>
      s.fed.reports
        .slice(from)
        .filter((r) => r.subgraph === subgraph && (r.operationName === '(subscription)') === subscription).length;
    const clients = await Promise.all(
      people.map(async (p) => wsClient(s.fed.gatewayUrl, { authorization: await bearer(p) })),
    );
    try {
      const subs = clients.map((c) => c.iterate<Change>({ query }));
      // One upstream subscription per scope, whatever the number of subscribers in it.
      await waitFor(async () => since('invoices', true) >= 3, 30_000, 'the upstream subscriptions', 100);
      const billing = await createConnection({ ...stackEnv.billingMariadb });
      await billing.query(`update invoice set status = 'void' where id = ?`, [Number(eu.source_id)]);
      await billing.query(`update invoice set status = 'void' where id = ?`, [Number(us.source_id)]);
      await billing.end();
      const expected = (inv: typeof eu, le: string, clear: boolean) => ({
        number: inv.number,
        legalEntityId: le,
        customer: { taxId: clear ? inv.tax_id : mask(inv.tax_id) },
      });
      const results = await Promise.all(subs.map((it, i) => nextResults(it, i === 4 ? 1 : 2, 90_000)));
      // The two invoices' changes travel on different partitions of the change topics: no order between them.
      const received = (rs: (typeof results)[number]) =>
        rs
          .map((r) => r.data!.invoiceStatusChanged.invoice)
          .sort((a, b) => a.legalEntityId.localeCompare(b.legalEntityId));
      for (const analyst of results.slice(0, 3)) {
        expect(received(analyst)).toEqual([expected(eu, 'FS-EU', false), expected(us, 'FS-US', false)]);
      }
      expect(received(results[3]!)).toEqual([expected(eu, 'FS-EU', true), expected(us, 'FS-US', true)]);
      // The FS-US analyst's only event is FS-US's: the FS-EU change never reached it.
      expect(results[4]!.map((r) => r.data!.invoiceStatusChanged.invoice)).toEqual([expected(us, 'FS-US', false)]);
      // Per event, one entity fetch per scope that sees it (FS-EU: 2, FS-US: 3), not one per subscriber (5 + 5).
      expect(since('invoices', true)).toBe(3);
      expect(since('vendors', false)).toBe(5);
      expect(s.fed.gateway.subscriptionStats()).toMatchObject({ executions: 3, subscribers: 5, dropped: 0 });
      await Promise.all(subs.map((it) => it.return?.()));
      await waitFor(
        async () => s.fed.gateway.subscriptionStats().executions === 0,
        10_000,
        'the executions to end',
        100,
      );
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });
});
