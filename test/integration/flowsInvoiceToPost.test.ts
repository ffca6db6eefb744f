/**
 * Flow PROCUREMENT_SUPPLIER_INVOICES (invoice-to-post, issue 12 part B) on the real stack: an approved supplier
 * invoice written into the procurement source is captured (Debezium → this process's CDC pipeline, into a scratch
 * canonical database), waits for its vendor's activation, is queued by the flow engine through the posting queue,
 * posted in Tryton by the posting worker (read back through Tryton's JSON-RPC) and comes back IN_SYNC through the
 * gateway. A tax difference is an exception, not a post; a posted invoice changed at its source is an exception
 * naming the changed fields, and nothing is posted twice. One seeded setup for the file.
 */
import { randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { Client, Pool } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { loadReferenceData } from '../../canonical-schema/reference/loadReferenceData';
import { loadCdcConfig } from '../../cdc/config';
import { startCdc, type RunningCdc } from '../../cdc/startCdc';
import { createPostingService } from '../../erp/posting/createPostingService';
import { ensureTrytonReference } from '../../erp/tryton/ensureTrytonReference';
import { runPostingWorker } from '../../erp/worker/runPostingWorker';
import { runFlows } from '../../flows/engine/runFlows';
import { refreshFlowDocuments } from '../../flows/engine/flowMetrics';
import { metricsRegistry } from '../../runtime/metrics/registry';
import { flowDefinition } from '../../flows/registry';
import { FLOW_STEPS } from '../../flows/steps/stepRegistry';
import { runVendorOnboarding } from '../../flows/vendorOnboarding/runVendorOnboarding';
import { changeTopicEnds, storeGroupOffsets } from '../support/changeTopicOffsets';
import { startFederation, type FederationStack } from '../support/federationStack';
import { invoiceDateInTryton } from '../support/invoiceDateInTryton';
import { erpConfig, tryton } from '../support/postingHarness';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { gql } from '../support/seededFederation';
import { stackEnv } from '../support/stackEnv';
import { bearer, CONTROLLER } from '../support/tokens';
import { freshGermanIban, freshGermanVat, insertSupplier } from '../support/vendorOnboarding';
import { waitFor } from '../support/waitFor';
import { nextResults, wsClient } from '../support/wsClient';

const tag = randomUUID().slice(0, 6).toUpperCase();
const PREFIX = `FA${tag}-`;
const AP = flowDefinition('PROCUREMENT_SUPPLIER_INVOICES');
const AR = flowDefinition('BILLING_INVOICES');
const PAYROLL = flowDefinition('PAYROLL_JOURNALS');

interface FlowDoc {
  state: string;
  waits_for: string | null;
  action_reference: string | null;
  exception_id: string | null;
  changed_exception_id: string | null;
}

describe('invoice-to-post (AP) and billing-to-revenue (AR): source → canonical → flow → posting queue → Tryton → IN_SYNC', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let procurement: Client;
  let billing: mysql.Connection;
  let payroll: Client;
  let cdc: RunningCdc;
  let fed: FederationStack;
  let worker: { stop(): Promise<void> };
  let flows: { stop(): Promise<void> };
  let onboarding: { stop(): Promise<void> } | null = null;
  const erp = tryton();
  const supplierCode = `${PREFIX}SUP`;
  let date = '2026-11-05';
  let auth: Record<string, string>;

  const sql = async <T extends Record<string, unknown>>(text: string, values: unknown[] = []) =>
    (await pool.query<T>(text, values)).rows;
  const flowDoc = async (number: string, flowId = AP.id) =>
    (
      await sql<FlowDoc & Record<string, unknown>>(
        `select state, waits_for, action_reference, exception_id::text, changed_exception_id::text
           from flow_document where flow_id = $1 and number = $2`,
        [flowId, number],
      )
    )[0];
  const trytonInvoices = (postingId: string, company = 1) =>
    erp.client.read<
      Array<{ id: number; state: string; type: string; total_amount: string; tax_amount: string; party: number }>
    >(
      'model.account.invoice.search_read',
      [
        [['reference', '=', `finsync:${postingId}`]],
        0,
        null,
        null,
        ['state', 'type', 'total_amount', 'tax_amount', 'party'],
      ],
      { company },
    );
  const inSync = (canonicalId: string) =>
    waitFor(
      async () => {
        const body = await gql<{ invoice: { reconciliation: { status: string } } }>(
          fed.gatewayUrl,
          `query($id: ID!) { invoice(id: $id) { reconciliation { status } } }`,
          { id: canonicalId },
          auth,
        );
        return body.data?.invoice.reconciliation.status === 'IN_SYNC';
      },
      60_000,
      'the invoice IN_SYNC with its ERP side',
      300,
    );

  /** A supplier invoice: net 2 × 100.00 at VAT19, with the tax the source says. Returns its number. */
  async function supplierInvoice(n: number, tax = '38.00'): Promise<string> {
    const number = `${PREFIX}PI-${n}`;
    const gross = (200 + Number(tax)).toFixed(2);
    const { rows } = await procurement.query<{ id: string }>(
      `insert into supplier_invoice (supplier_ref, number, amount, tax_amount, currency, invoice_date, due_date, status, legal_entity)
       values ($1, $2, $3, $4, 'EUR', $5, '2026-12-20', 'APPROVED', 'FS-EU') returning id`,
      [supplierCode, number, gross, tax, date],
    );
    await procurement.query(
      `insert into supplier_invoice_line (supplier_invoice_id, line_no, description, account_code, cost_center, tax_code, quantity, unit_price, amount)
       values ($1, 1, 'licences', '6300', 'CC-100', 'VAT19', 2, 100.00, 200.00)`,
      [rows[0]!.id],
    );
    return number;
  }

  beforeAll(async () => {
    db = await scratchDatabase('flows_ap');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 8 });
    await loadReferenceData(pool);
    await ensureTrytonReference(erp, erpConfig.trytonSettings.companies);
    date = await invoiceDateInTryton(erp, 1, '2026-11-05');
    const groupId = `finsync-test-flows-ap-${tag}`;
    const ends = await changeTopicEnds();
    for (const key of [...ends.keys()]) if (key.startsWith('erp.public.account_account:')) ends.delete(key);
    await storeGroupOffsets(pool, groupId, ends);
    const eventsTopic = `finsync.test.flowsap.${tag}`;
    cdc = await startCdc({ ...loadCdcConfig({}), databaseUrl: db.url, groupId, eventsTopic }, pino({ level: 'warn' }));
    await cdc.joined;
    fed = await startFederation({ databaseUrl: db.url, eventsTopic });
    auth = { authorization: await bearer(CONTROLLER) };
    worker = runPostingWorker({
      pool,
      erp,
      erpTimeoutMs: 10_000,
      logger: pino({ level: 'silent' }),
      settings: { ...erpConfig.worker, workerId: `flows-ap-${tag}`, idleMs: 100, backoffMs: 100, maxBackoffMs: 500 },
    });
    flows = runFlows({
      pool,
      erp,
      postings: createPostingService({ pool, erp }),
      logger: pino({ level: process.env.FINSYNC_TEST_LOG_LEVEL ?? 'warn' }),
      flows: [AP, AR, PAYROLL],
      steps: FLOW_STEPS,
      intervalMs: 100,
      numberPrefix: PREFIX,
    });
    billing = await mysql.createConnection(stackEnv.billingMariadb);
    payroll = new Client({ ...stackEnv.procurementPg, database: 'payroll' });
    await payroll.connect();
    procurement = new Client({ ...stackEnv.procurementPg });
    await procurement.connect();
    await insertSupplier(procurement, {
      code: supplierCode,
      name: `Flows ${tag} Bürobedarf GmbH`,
      taxId: freshGermanVat(),
      iban: freshGermanIban(),
    });
  }, 180_000);

  afterAll(async () => {
    await flows?.stop();
    await onboarding?.stop();
    await worker?.stop();
    await fed?.stop();
    await cdc?.stop();
    await procurement?.end();
    await billing?.end();
    await payroll?.end();
    await pool?.end();
    await db?.drop();
  });

  let firstPosting = '';
  let firstNumber = '';

  it('waits for its vendor’s activation, then posts once in Tryton; reconciliation IN_SYNC through the gateway', async () => {
    firstNumber = await supplierInvoice(1);
    const waiting = await waitFor(
      async () => {
        const d = await flowDoc(firstNumber);
        return d?.waits_for?.startsWith('the activation of vendor') ? d : undefined;
      },
      60_000,
      'the invoice waiting for its vendor',
      100,
    );
    expect(waiting!).toMatchObject({ state: 'WAITING', action_reference: null });
    expect(waiting!.waits_for).toContain(supplierCode);
    // Nothing was queued for it meanwhile.
    expect(await sql(`select 1 from posting`)).toEqual([]);

    onboarding = runVendorOnboarding({
      pool,
      erp,
      logger: pino({ level: 'warn' }),
      intervalMs: 200,
      sourceIdPrefix: PREFIX,
    });
    const done = await waitFor(
      async () => {
        const d = await flowDoc(firstNumber);
        return d?.state === 'DONE' ? d : undefined;
      },
      90_000,
      'the invoice posted by its flow',
      200,
    );
    firstPosting = done!.action_reference!;
    const posting = (
      await sql<{ preparer: string; idempotency_key: string; status: string }>(
        `select preparer, idempotency_key, status from posting where id = $1`,
        [firstPosting],
      )
    )[0];
    expect(posting).toEqual({
      preparer: 'flows@finsync',
      idempotency_key: expect.stringMatching(/^flow:PROCUREMENT_SUPPLIER_INVOICES:[0-9a-f-]{36}$/),
      status: 'POSTED',
    });
    expect(await trytonInvoices(firstPosting)).toEqual([
      expect.objectContaining({ state: 'posted', total_amount: '238.00', tax_amount: '38.00' }),
    ]);

    const canonicalId = (await sql<{ id: string }>(`select id::text from invoice where number = $1`, [firstNumber]))[0]!
      .id;
    await inSync(canonicalId);

    // Its metrics: the post observed in finsync_flow_latency_seconds, the document DONE in finsync_flow_documents.
    await refreshFlowDocuments(pool);
    expect(await metricsRegistry.getSingleMetricAsString('finsync_flow_latency_seconds')).toMatch(
      /finsync_flow_latency_seconds_count\{flow="PROCUREMENT_SUPPLIER_INVOICES",stage="posted"\} [1-9]/,
    );
    expect(await metricsRegistry.getSingleMetricAsString('finsync_flow_documents')).toMatch(
      /finsync_flow_documents\{flow="PROCUREMENT_SUPPLIER_INVOICES",legal_entity="FS-(EU|US)",state="DONE"\} [1-9]/,
    );
  }, 200_000);

  it('makes a tax difference an exception, not a post', async () => {
    const number = await supplierInvoice(2, '40.00');
    const failed = await waitFor(
      async () => {
        const d = await flowDoc(number);
        return d?.state === 'FAILED' ? d : undefined;
      },
      90_000,
      'the invoice with a tax difference to fail',
      200,
    );
    const [exception] = await sql<{ code: string; field: string; message: string; status: string }>(
      `select code, field, message, status from exception where id = $1`,
      [failed!.exception_id],
    );
    expect(exception).toMatchObject({ code: 'TAX_DIFFERENCE', field: 'taxAmount', status: 'OPEN' });
    expect(exception!.message).toContain(`${number} of FS-EU was not posted`);
    expect(exception!.message).toContain('238.00');
    expect(await trytonInvoices(failed!.action_reference!)).toEqual([]);
  }, 120_000);

  it('makes a posted invoice changed at its source an exception naming the fields; nothing posted twice', async () => {
    await procurement.query(
      `update supplier_invoice set due_date = '2027-01-15', updated_at = now() where number = $1`,
      [firstNumber],
    );
    const changed = await waitFor(
      async () => {
        const d = await flowDoc(firstNumber);
        return d?.changed_exception_id ? d : undefined;
      },
      60_000,
      'the change after posting to be flagged',
      200,
    );
    const [exception] = await sql<{ code: string; field: string; message: string }>(
      `select code, field, message from exception where id = $1`,
      [changed!.changed_exception_id],
    );
    expect(exception).toMatchObject({ code: 'CHANGED_AFTER_POSTING', field: 'dueDate' });
    expect(exception!.message).toContain('dueDate: 2026-12-20 → 2027-01-15');
    expect(changed!.state).toBe('DONE');
    expect(
      await sql(`select id from posting where source_document_id = (select id::text from invoice where number = $1)`, [
        firstNumber,
      ]),
    ).toHaveLength(1);
    expect(await trytonInvoices(firstPosting)).toHaveLength(1);
  }, 90_000);

  it('posts an issued FS-US billing invoice in USD as a customer invoice, its customer party matched or created', async () => {
    const customer = `${PREFIX}CUST`;
    const taxId = `US-${tag}-77`;
    await billing.query(
      `insert into customer (customer_code, name, tax_id, email, currency, legal_entity) values (?, ?, ?, 'ar@example.test', 'USD', 'FS-US')`,
      [customer, `Flows ${tag} Retail Inc.`, taxId],
    );
    const usDate = await invoiceDateInTryton(erp, 2, '2026-11-06');
    const number = `${PREFIX}BI-1`;
    const [res] = await billing.query<mysql.ResultSetHeader>(
      `insert into invoice (customer_code, number, total, subtotal, tax_total, currency, issue_date, due_date, status, legal_entity)
       values (?, ?, 350.00, 350.00, 0, 'USD', ?, '2026-12-31', 'issued', 'FS-US')`,
      [customer, number, usDate],
    );
    await billing.query(
      `insert into invoice_line (invoice_id, line_no, product_code, description, quantity, unit_price, amount, tax_code)
       values (?, 1, 'SUB-BASIC', 'subscription', 1, 350.00, 350.00, 'US-EXEMPT')`,
      [res.insertId],
    );
    const done = await waitFor(
      async () => {
        const d = await flowDoc(number, AR.id);
        return d?.state === 'DONE' ? d : undefined;
      },
      90_000,
      'the billing invoice posted by its flow',
      200,
    );
    const [posted] = await trytonInvoices(done!.action_reference!, 2);
    expect(posted).toMatchObject({ state: 'posted', type: 'out', total_amount: '350.00' });
    const [party] = await erp.client.read<Array<{ id: number; name: string }>>('model.party.party.read', [
      [posted!.party],
      ['name'],
    ]);
    expect(party!.name).toBe(`Flows ${tag} Retail Inc.`);
    const canonicalId = (await sql<{ id: string }>(`select id::text from invoice where number = $1`, [number]))[0]!.id;
    await inSync(canonicalId);
  }, 150_000);

  it('pauses and resumes a flow through the gateway (controller only, audited, announced); the API shows its counts', async () => {
    const mutate = async (principal: typeof CONTROLLER, name: 'pauseFlow' | 'resumeFlow', reason: string) =>
      gql<{ [k: string]: { flow: { state: string } | null; userErrors: Array<{ code: string }> } }>(
        fed.gatewayUrl,
        `mutation($id: ID!, $r: String!) { ${name}(id: $id, reason: $r) { flow { state } userErrors { code message } } }`,
        { id: AP.id, r: reason },
        { authorization: await bearer(principal) },
      );
    const accountant = { subject: `ap-${tag}@finsync.test`, roles: ['accountant'], legalEntities: ['FS-EU'] };
    expect((await mutate(accountant, 'pauseFlow', 'try')).errors?.map((e) => e.extensions?.code)).toEqual([
      'FORBIDDEN',
    ]);

    const client = wsClient(fed.gatewayUrl, { authorization: auth.authorization! });
    try {
      const changes = client.iterate<{
        flowStateChanged: {
          state: string;
          previousState: string | null;
          by: string;
          reason: string;
          flow: { id: string };
        };
      }>({
        query: `subscription($f: ID) { flowStateChanged(flowId: $f) { state previousState by reason flow { id } } }`,
        variables: { f: AP.id },
      });
      const received = nextResults(changes, 2, 60_000);
      // graphql-ws has no acknowledgement of a subscription's start: give it the time the subscription tests give it.
      await new Promise((r) => setTimeout(r, 1_500));
      const paused = await mutate(CONTROLLER, 'pauseFlow', 'month-end close: hold AP');
      expect(paused.data!.pauseFlow).toEqual({ flow: { state: 'PAUSED' }, userErrors: [] });
      expect((await mutate(CONTROLLER, 'pauseFlow', 'again')).data!.pauseFlow!.userErrors.map((e) => e.code)).toEqual([
        'ALREADY_PAUSED',
      ]);

      const number = await supplierInvoice(3);
      const held = await waitFor(
        async () => {
          const d = await flowDoc(number);
          return d?.waits_for?.startsWith('the flow is paused') ? d : undefined;
        },
        60_000,
        'the invoice held by the paused flow',
        200,
      );
      expect(held!.waits_for).toContain('month-end close: hold AP');
      expect(held!.waits_for).toContain(CONTROLLER.subject);
      expect(held!.action_reference).toBeNull();

      const seen = await gql<{
        flow: { state: string; stateReason: string; stateChangedBy: string; version: number; policy: unknown };
      }>(
        fed.gatewayUrl,
        `query($id: ID!) { flow(id: $id) { state stateReason stateChangedBy version
           policy { default legalEntities { legalEntityId mode approvalThresholds { amount currency } } } } }`,
        { id: AP.id },
        auth,
      );
      expect(seen.data!.flow).toMatchObject({
        state: 'PAUSED',
        stateReason: 'month-end close: hold AP',
        stateChangedBy: CONTROLLER.subject,
        version: AP.version,
      });
      // The thresholds shown are the posting policy's: the flow and the postInvoice mutation agree.
      expect(JSON.stringify(seen.data!.flow.policy)).toContain('{"amount":"10000.00","currency":"EUR"}');

      expect((await mutate(CONTROLLER, 'resumeFlow', 'close done')).data!.resumeFlow!.userErrors).toEqual([]);
      const done = await waitFor(
        async () => {
          const d = await flowDoc(number);
          return d?.state === 'DONE' ? d : undefined;
        },
        90_000,
        'the held invoice posted once the flow resumed',
        200,
      );
      expect(await trytonInvoices(done!.action_reference!)).toHaveLength(1);

      const [first, second] = await received;
      expect(first!.data!.flowStateChanged).toEqual({
        state: 'PAUSED',
        previousState: 'RUNNING',
        by: CONTROLLER.subject,
        reason: 'month-end close: hold AP',
        flow: { id: AP.id },
      });
      expect(second!.data!.flowStateChanged).toMatchObject({ state: 'RUNNING', previousState: 'PAUSED' });
    } finally {
      await client.dispose();
    }
    expect(
      (
        await sql<{ action: string; by: string }>(
          `select detail->>'action' as action, detail->>'by' as by from audit_event
            where stage = 'MUTATION' and object_type = 'FLOW' and source_id = $1 order by id`,
          [AP.id],
        )
      ).map((r) => r.action),
    ).toEqual(['PAUSE_FLOW', 'RESUME_FLOW']);

    const stats = await gql<{
      flow: {
        stats: Array<{
          legalEntityId: string;
          posted: number;
          failed: number;
          waiting: number;
          latencyP50Seconds: number | null;
          latencyP95Seconds: number | null;
          slaSeconds: number;
        }>;
      };
    }>(
      fed.gatewayUrl,
      `query($id: ID!) { flow(id: $id) { stats { legalEntityId posted failed waiting inProgress oldestWaitingSince
         slaBreaches latencyP50Seconds latencyP95Seconds slaSeconds } } }`,
      { id: AP.id },
      auth,
    );
    const eu = stats.data!.flow.stats.find((x) => x.legalEntityId === 'FS-EU')!;
    expect(eu).toMatchObject({ posted: 2, failed: 1, waiting: 0, slaSeconds: AP.slaSeconds });
    expect(eu.latencyP50Seconds).toBeGreaterThan(0);
    expect(eu.latencyP95Seconds).toBeGreaterThanOrEqual(eu.latencyP50Seconds!);
  }, 180_000);

  it('releases a payroll run as a Tryton move once an approver approves it (its flow’s policy is MANUAL)', async () => {
    expect(PAYROLL.policy.default).toBe('MANUAL');
    const runCode = `${PREFIX}PR-1`;
    const lines = [
      {
        line_no: 1,
        gl_account: '6100',
        cost_center: 'CC-ENG',
        description: 'Gross salaries',
        debit: '1000.00',
        credit: '0.00',
      },
      {
        line_no: 2,
        gl_account: '6200',
        cost_center: 'CC-ENG',
        description: 'Employer charges',
        debit: '210.00',
        credit: '0.00',
      },
      {
        line_no: 3,
        gl_account: '2200',
        cost_center: null,
        description: 'Net pay payable',
        debit: '0.00',
        credit: '1210.00',
      },
    ];
    await payroll.query(
      `insert into payroll_journal (run_code, legal_entity, period_start, period_end, pay_date, currency, status, lines)
       values ($1, 'FS-EU', '2026-11-01', '2026-11-30', '2026-11-28', 'EUR', 'RELEASED', $2)`,
      [runCode, JSON.stringify(lines)],
    );
    const pending = await waitFor(
      async () => {
        const d = await flowDoc(runCode, PAYROLL.id);
        return d?.waits_for?.endsWith('waits for an approver') || d?.state === 'FAILED' ? d : undefined;
      },
      60_000,
      'the payroll run waiting for an approver',
      200,
    );
    expect({
      ...pending,
      exceptions: await sql(`select code, message from exception where message like $1`, [`%${runCode}%`]),
    }).toMatchObject({ state: 'IN_PROGRESS', exceptions: [] });
    const approver = { subject: `payroll-approver-${tag}@finsync.test`, roles: ['approver'], legalEntities: ['FS-EU'] };
    const approved = await gql<{ approvePosting: { posting: { status: string } | null; userErrors: unknown[] } }>(
      fed.gatewayUrl,
      `mutation($id: ID!) { approvePosting(id: $id) { posting { status } userErrors { code message } } }`,
      { id: pending!.action_reference },
      { authorization: await bearer(approver) },
    );
    expect(approved.data!.approvePosting.userErrors).toEqual([]);
    const done = await waitFor(
      async () => {
        const d = await flowDoc(runCode, PAYROLL.id);
        return d?.state === 'DONE' ? d : undefined;
      },
      90_000,
      'the payroll run posted',
      200,
    );
    const moves = await erp.client.read<Array<{ id: number; state: string; lines: number[] }>>(
      'model.account.move.search_read',
      [[['description', 'like', `finsync:${done!.action_reference}%`]], 0, null, null, ['state', 'lines']],
      { company: 1 },
    );
    expect(moves).toEqual([expect.objectContaining({ state: 'posted' })]);
    expect(moves[0]!.lines).toHaveLength(3);
  }, 150_000);
});
