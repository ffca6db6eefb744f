/**
 * Reconciliation, exceptions and the audit trail through the gateway, on the seeded data set with every planted
 * anomaly: the source stage is read from the real source databases, the canonical stage from what the CDC pipeline
 * applied. Every flow × legal entity × period reports exactly the planted differences, with the exception that
 * explains each, and IN_SYNC everywhere else; a change at the source that the pipeline has not applied is PENDING.
 */
import { createConnection } from 'mysql2/promise';
import { gql, seededFederation, type SeededFederation } from '../support/seededFederation';
import { stackEnv } from '../support/stackEnv';
import { bearer } from '../support/tokens';

const FINANCE_OPS = { subject: 'finance-ops@finsync.test', roles: ['accountant'], legalEntities: ['FS-EU', 'FS-US'] };

/** How each planted anomaly shows in reconciliation: its flow and the reason its record differs. */
const PLANTED: Readonly<Record<string, { flow: string; reason: string }>> = {
  DUPLICATE_VENDOR: { flow: 'PROCUREMENT_SUPPLIERS', reason: 'MISSING_IN_CANONICAL' },
  UNKNOWN_DIMENSION: { flow: 'PROCUREMENT_SUPPLIER_INVOICES', reason: 'LINES_DIFFER' },
  PERIOD_CLOSED: { flow: 'PROCUREMENT_SUPPLIER_INVOICES', reason: 'MISSING_IN_CANONICAL' },
  DUPLICATE_INVOICE: { flow: 'PROCUREMENT_SUPPLIER_INVOICES', reason: 'MISSING_IN_CANONICAL' },
  INACTIVE_COUNTERPARTY: { flow: 'PROCUREMENT_SUPPLIER_INVOICES', reason: 'MISSING_IN_CANONICAL' },
  UNBALANCED_JOURNAL: { flow: 'PAYROLL_JOURNALS', reason: 'MISSING_IN_CANONICAL' },
};

const PERIODS = ['2025-06', ...Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)];

const RECONCILIATIONS = `query($le: ID!, $p: String!, $n: String) {
  reconciliations(legalEntityId: $le, period: $p, numberPrefix: $n) {
    flow { id periodic } legalEntityId period status
    stages { stage status count totals { currency count sum { amount currency } } }
    stageDifferences { from to countDifference totals { amount currency } }
    differences { reason status message number sourceId exception { code } }
  }
}`;

interface Report {
  flow: { id: string; periodic: boolean };
  period: string | null;
  status: string;
  stages: Array<{ stage: string; status: string; count: number | null }>;
  stageDifferences: Array<{ from: string; to: string; countDifference: number }>;
  differences: Array<{
    reason: string;
    status: string;
    message: string;
    number: string;
    sourceId: string;
    exception: { code: string } | null;
  }>;
}

describe('reconciliation, exceptions and audit trail through the gateway', () => {
  let s: SeededFederation;
  const reports: Array<Report & { le: string; p: string }> = [];

  beforeAll(async () => {
    s = await seededFederation('recon', ['--scenario', 'anomalies']);
    for (const le of ['FS-EU', 'FS-US']) {
      for (const p of PERIODS) {
        const body = await gql<{ reconciliations: Report[] }>(s.fed.gatewayUrl, RECONCILIATIONS, {
          le,
          p,
          n: s.prefix,
        });
        expect(body.errors).toBeUndefined();
        reports.push(...body.data!.reconciliations.map((r) => ({ ...r, le, p })));
      }
    }
  }, 300_000);

  afterAll(async () => {
    await s?.stop();
  });

  it('reports exactly the planted differences, each with the exception that explains it, and IN_SYNC everywhere else', () => {
    const found = new Set<string>();
    for (const r of reports) {
      for (const d of r.differences) found.add(`${r.flow.id} ${d.number} ${d.reason} ${d.status} ${d.exception?.code}`);
    }
    const expected = s.manifest.anomalies
      .filter((a) => PLANTED[a.kind])
      .map((a) => {
        const key = a.records[0]!.key;
        const number = key.number ?? key.run_code ?? key.supplier_code;
        return `${PLANTED[a.kind]!.flow} ${number} ${PLANTED[a.kind]!.reason} MISMATCH ${a.expectedException}`;
      });
    expect([...found].sort()).toEqual(expected.sort());
    for (const r of reports) expect(r.status).toBe(r.differences.length ? 'MISMATCH' : 'IN_SYNC');
    // The clean data set is there: in sync flows are not empty ones.
    expect(reports.filter((r) => r.status === 'IN_SYNC' && (r.stages[0]!.count ?? 0) > 0).length).toBeGreaterThan(10);
  });

  it('counts every stage: source minus canonical is what is missing in the canonical store, canonical minus ERP what was not posted (none of this data set)', () => {
    for (const r of reports) {
      const missing = r.differences.filter((d) => d.reason === 'MISSING_IN_CANONICAL').length;
      // Invoices and payments have an ERP side; payroll runs and suppliers are compared by their postings' and
      // onboarding's own checks.
      const erp = ['BILLING_INVOICES', 'BILLING_PAYMENTS', 'PROCUREMENT_SUPPLIER_INVOICES'].includes(r.flow.id);
      expect(r.stageDifferences).toEqual([
        expect.objectContaining({ from: 'SOURCE', to: 'CANONICAL', countDifference: missing }),
        ...(erp
          ? [expect.objectContaining({ from: 'CANONICAL', to: 'ERP', countDifference: r.stages[1]!.count })]
          : []),
      ]);
      expect(r.stages.map((st) => [st.stage, st.status, st.stage === 'ERP' ? st.count : null])).toEqual([
        ['SOURCE', 'AVAILABLE', null],
        ['CANONICAL', 'AVAILABLE', null],
        ['ERP', erp ? 'AVAILABLE' : 'NOT_APPLICABLE', erp ? 0 : null],
      ]);
    }
    const payroll = reports.find((r) => r.flow.id === 'PAYROLL_JOURNALS' && r.le === 'FS-EU' && r.p === '2026-06')!;
    expect(payroll.differences[0]!.message).toMatch(
      /is not in the canonical store: Journal .* does not balance in EUR/,
    );
  });

  it('marks a change made at the source but not applied yet as PENDING, for the flow and for the record', async () => {
    await s.cdc.stop(); // the pipeline stops: the next source change stays unapplied
    const { rows } = await s.pool.query<{
      id: string;
      source_id: string;
      number: string;
      le: string;
      period: string;
      total: string;
    }>(
      `select i.id::text, r.source_id, i.number, i.legal_entity_id as le, to_char(i.issue_date, 'YYYY-MM') as period, i.total_amount::text as total
         from invoice i join source_reference r on r.canonical_id = i.id and r.source_table = 'billing.invoice'
        where i.number like $1 || 'INV-0%' order by i.number limit 1`,
      [s.prefix],
    );
    const inv = rows[0]!;
    const billing = await createConnection({ ...stackEnv.billingMariadb });
    await billing.query(`update invoice set total = total + 10.00 where id = ?`, [Number(inv.source_id)]);
    await billing.end();
    const body = await gql<{
      reconciliation: Report;
      invoice: { reconciliation: { status: string; differences: Array<{ reason: string }> } };
    }>(
      s.fed.gatewayUrl,
      `query($le: ID!, $p: String!, $n: String, $id: ID!) {
        reconciliation(flow: "BILLING_INVOICES", legalEntityId: $le, period: $p, numberPrefix: $n) {
          flow { id periodic } period status stages { stage status count } stageDifferences { from to countDifference }
          differences { reason status message number sourceId exception { code } } }
        invoice(id: $id) { reconciliation { status differences { reason } } }
      }`,
      { le: inv.le, p: inv.period, n: s.prefix, id: inv.id },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.reconciliation.status).toBe('PENDING');
    expect(body.data!.reconciliation.differences).toEqual([
      expect.objectContaining({ reason: 'AMOUNT_DIFFERS', status: 'PENDING', number: inv.number }),
    ]);
    expect(body.data!.invoice.reconciliation).toEqual({
      status: 'PENDING',
      differences: [{ reason: 'AMOUNT_DIFFERS' }],
    });
  });

  it('serves the exception queue with its age, and audits resolve / ignore / retry with their reasons', async () => {
    const list = await gql<{
      exceptions: { totalCount: number; edges: Array<{ node: { id: string; code: string; ageSeconds: number } }> };
    }>(
      s.fed.gatewayUrl,
      `query($n: String) { exceptions(filter: { status: [OPEN], messageContains: $n }, first: 50) { totalCount edges { node { id code ageSeconds } } } }`,
      { n: s.prefix },
    );
    const open = list.data!.exceptions.edges.map((e) => e.node);
    expect(open.map((e) => e.code).sort()).toEqual(
      s.manifest.anomalies
        .filter((a) => a.raisedBy === 'pipeline')
        .map((a) => a.expectedException)
        .filter((c) => c && c !== 'POISON_MESSAGE')
        .sort(),
    );
    expect(open.every((e) => e.ageSeconds >= 0 && e.ageSeconds < 3600)).toBe(true);
    const old = await gql<{ exceptions: { totalCount: number } }>(
      s.fed.gatewayUrl,
      `query($n: String) { exceptions(filter: { messageContains: $n, minAgeHours: 1 }) { totalCount } }`,
      { n: s.prefix },
    );
    expect(old.data!.exceptions.totalCount).toBe(0);

    const idOf = (code: string) => open.find((e) => e.code === code)!.id;
    const financeOps = await bearer(FINANCE_OPS);
    const act = (mutation: string, id: string, reason: string) =>
      gql<
        Record<
          string,
          {
            exception: { status: string; retryCount: number; actions: Array<Record<string, string>> } | null;
            userErrors: Array<{ code: string; field: string; message: string }>;
          }
        >
      >(
        s.fed.gatewayUrl,
        `mutation($id: ID!, $reason: String!) { r: ${mutation}(id: $id, reason: $reason) {
           exception { status retryCount actions { action reason statusBefore statusAfter correlationId } } userErrors { code field message } } }`,
        { id, reason },
        { authorization: financeOps, 'x-correlation-id': `ops-${s.seed}` },
      ).then((b) => b.data!.r!);

    const resolved = await act(
      'resolveException',
      idOf('DUPLICATE_VENDOR'),
      'Confirmed the same company; merged in the ERP.',
    );
    expect(resolved.userErrors).toEqual([]);
    expect(resolved.exception).toMatchObject({
      status: 'RESOLVED',
      actions: [
        {
          action: 'RESOLVE',
          reason: 'Confirmed the same company; merged in the ERP.',
          statusBefore: 'OPEN',
          statusAfter: 'RESOLVED',
          correlationId: `ops-${s.seed}`,
        },
      ],
    });
    const again = await act('resolveException', idOf('DUPLICATE_VENDOR'), 'twice');
    expect(again.userErrors).toEqual([expect.objectContaining({ code: 'NOT_OPEN', field: 'id' })]);
    expect(again.exception?.actions).toHaveLength(1);
    const noReason = await act('ignoreException', idOf('PERIOD_CLOSED'), '  ');
    expect(noReason.userErrors).toEqual([expect.objectContaining({ code: 'REASON_REQUIRED', field: 'reason' })]);
    const ignored = await act(
      'ignoreException',
      idOf('PERIOD_CLOSED'),
      'Belongs to the closed 2025 books; booked manually.',
    );
    expect(ignored.exception?.status).toBe('IGNORED');
    const retried = await act('retryException', idOf('UNBALANCED_JOURNAL'), 'Payroll provider re-sent the run.');
    expect(retried.exception).toMatchObject({ status: 'OPEN', retryCount: 1 });
    const announced = await s.pool.query<{ event_type: string; has_source_event: boolean }>(
      `select event_type, payload->'sourceEvent' is not null and payload->'sourceEvent' <> 'null' as has_source_event
         from outbox where aggregate_type = 'EXCEPTION' and event_type <> 'EXCEPTION_RAISED'
          -- what people did (the pipeline announces the exceptions it resolves itself, actor finsync-cdc)
          and coalesce(payload->>'actor', '') <> 'finsync-cdc' order by id`,
    );
    expect(announced.rows).toEqual([
      { event_type: 'EXCEPTION_RESOLVED', has_source_event: true },
      { event_type: 'EXCEPTION_IGNORED', has_source_event: true },
      { event_type: 'EXCEPTION_RETRY_REQUESTED', has_source_event: true },
    ]);
  });

  it('traces a payment from its source row through parking to its canonical record, and matches invoices and payments', async () => {
    const { rows } = await s.pool.query<{ correlation_id: string; reference: string }>(
      `select correlation_id::text, reference from payment where reference = $1`,
      [`${s.prefix}PAY-X01`],
    );
    const body = await gql<{
      auditTrail: {
        events: Array<{ stage: string; stages: string[] }>;
        sourceRecords: Array<{ system: string; sourceTable: string }>;
        canonicalRecords: Array<{
          objectType: string;
          payment: {
            reference: string;
            allocations: Array<{
              invoice: { number: string; paymentMatch: { status: string; openBalance: { amount: string } } };
            }>;
          };
        }>;
        erpDocuments: unknown[];
        parked: unknown[];
      };
    }>(
      s.fed.gatewayUrl,
      `query($c: ID!) { auditTrail(correlationId: $c) {
         events { stage stages } sourceRecords { system sourceTable } erpDocuments { sourceId } parked { reason }
         canonicalRecords { objectType payment { reference allocations { invoice { number paymentMatch { status openBalance { amount } } } } } } } }`,
      { c: rows[0]!.correlation_id },
    );
    expect(body.errors).toBeUndefined();
    const trail = body.data!.auditTrail;
    // Received, parked until its invoice arrived (maybe first for its customer), released, then applied; never
    // rejected. One event per pass through the pipeline, each with the stages it went through, in order.
    expect(trail.events[0]!.stage).toBe('PARKED');
    expect(trail.events[0]!.stages.slice(0, 3)).toEqual(['RECEIVED', 'TRANSFORMED', 'PARKED']);
    expect(trail.events[trail.events.length - 1]).toEqual({
      stage: 'APPLIED',
      stages: ['RELEASED', 'RECEIVED', 'TRANSFORMED', 'VALIDATED', 'APPLIED'],
    });
    expect(trail.events.flatMap((e) => e.stages)).not.toContain('REJECTED');
    expect(trail.sourceRecords).toEqual([{ system: 'billing', sourceTable: 'billing.payment' }]);
    expect(trail.erpDocuments).toEqual([]);
    expect(trail.parked).toEqual([]);
    const payment = trail.canonicalRecords.find((r) => r.objectType === 'PAYMENT')!.payment;
    expect(payment.reference).toBe(`${s.prefix}PAY-X01`);
    const invoice = payment.allocations[0]!.invoice;
    const expected = await s.pool.query<{ total: string; paid: string }>(
      `select i.total_amount::text as total, coalesce(sum(a.amount) filter (where p.status = 'SETTLED'), 0)::text as paid
         from invoice i left join payment_allocation a on a.invoice_id = i.id left join payment p on p.id = a.payment_id
        where i.number = $1 group by i.id`,
      [invoice.number],
    );
    const total = Number(expected.rows[0]!.total);
    const paid = Number(expected.rows[0]!.paid);
    expect(invoice.paymentMatch.status).toBe(
      paid === 0 ? 'UNPAID' : paid < total ? 'PARTIALLY_PAID' : paid === total ? 'PAID' : 'OVERPAID',
    );
    expect(Number(invoice.paymentMatch.openBalance.amount)).toBeCloseTo(total - paid, 4);
  });
});
