/**
 * Flow VENDOR_ONBOARDING (issue 12) on the real stack: suppliers written into procurement are captured by Debezium,
 * applied by finsync's pipeline (in this process, into a scratch canonical database), checked by the onboarding flow,
 * become Tryton parties through JSON-RPC (read back the same way), come back through Tryton's CDC and are activated —
 * what a person sees through the gateway. An invoice of a vendor not yet onboarded waits and is posted once it is; an
 * invalid IBAN is an exception naming the check and the field; a supplier held as a duplicate vendor is decided as the
 * same or a distinct vendor by a data steward, and what waited on it is released.
 */
import { randomUUID } from 'node:crypto';
import { Pool, type Client } from 'pg';
import pino from 'pino';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { ensureTrytonReference } from '../../erp/tryton/ensureTrytonReference';
import { claimPostings } from '../../erp/worker/claimPostings';
import { runPostingWorker } from '../../erp/worker/runPostingWorker';
import { VENDOR_ONBOARDING_STEPS } from '../../flows/vendorOnboarding/steps';
import type { Principal } from '../../security/Principal';
import { startFederation, type FederationStack } from '../support/federationStack';
import { erpConfig, tryton } from '../support/postingHarness';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { gql } from '../support/seededFederation';
import { bearer, CONTROLLER } from '../support/tokens';
import {
  freshGermanIban,
  freshGermanVat,
  insertSupplier,
  procurement,
  startOnboardingStack,
  type OnboardingStack,
} from '../support/vendorOnboarding';
import { waitFor } from '../support/waitFor';

const tag = randomUUID().slice(0, 6).toUpperCase();
const prefix = `VO${tag}-`;
const STEWARD: Principal = { subject: 'steward@finsync.test', roles: ['steward'], legalEntities: ['FS-EU'] };
const ANALYST: Principal = { subject: 'analyst@finsync.test', roles: ['analyst'], legalEntities: ['FS-EU'] };

describe('vendor onboarding: procurement → checks → Tryton party → back through CDC → activated', () => {
  let db: ScratchDatabase;
  let pool: Pool;
  let source: Client;
  let stack: OnboardingStack;
  let fed: FederationStack;
  const erp = tryton();

  const as = async <T>(p: Principal, query: string, variables: Record<string, unknown> = {}) => {
    const body = await gql<T>(fed.gatewayUrl, query, variables, { authorization: await bearer(p) });
    return body;
  };
  const ok = async <T>(p: Principal, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const body = await as<T>(p, query, variables);
    expect(body.errors).toBeUndefined();
    return body.data!;
  };
  const sql = async <T extends Record<string, unknown>>(text: string, values: unknown[] = []) =>
    (await pool.query<T>(text, values)).rows;
  const vendorOf = async (supplierCode: string) =>
    (
      await sql<{ id: string }>(
        `select canonical_id::text as id from source_reference
          where system = 'procurement' and source_table = 'public.supplier' and source_id = $1`,
        [supplierCode],
      )
    )[0]?.id ?? null;
  /** A supplier invoice with one line (net 200.00 at 19 % VAT), written into procurement. */
  const supplierInvoice = async (supplierCode: string, number: string, currency = 'EUR', net = '200.00') => {
    const tax = (Number(net) * 0.19).toFixed(2);
    const gross = (Number(net) + Number(tax)).toFixed(2);
    const { rows } = await source.query<{ id: string }>(
      `insert into supplier_invoice (supplier_ref, number, amount, currency, invoice_date, approved_at, legal_entity,
                                     tax_amount, due_date, status)
       values ($1, $2, $3, $4, '2026-11-05', now(), 'FS-EU', $5, '2026-12-05', 'APPROVED') returning id`,
      [supplierCode, number, gross, currency, tax],
    );
    await source.query(
      `insert into supplier_invoice_line (supplier_invoice_id, line_no, description, account_code, cost_center,
                                          tax_code, quantity, unit_price, amount)
       values ($1, 1, 'licences', '6300', 'CC-100', 'VAT19', 2, $2, $3)`,
      [rows[0]!.id, (Number(net) / 2).toFixed(2), net],
    );
    return gross;
  };

  beforeAll(async () => {
    db = await scratchDatabase('onboarding');
    await migrateCanonicalSchema(db.url);
    pool = new Pool({ connectionString: db.url, max: 6 });
    await ensureTrytonReference(erp, erpConfig.trytonSettings.companies);
    source = await procurement();
    stack = await startOnboardingStack({
      pool,
      databaseUrl: db.url,
      purpose: 'onboarding',
      prefix,
      erp,
      startFlow: false,
    });
    fed = await startFederation({ databaseUrl: db.url, eventsTopic: stack.eventsTopic });
  }, 120_000);

  afterAll(async () => {
    await fed?.stop();
    await stack?.stop();
    await source?.end();
    await pool?.end();
    await db?.drop();
  });

  it('activates an approved supplier once Tryton holds its party and gave it back; its invoice waited for that', async () => {
    const code = `${prefix}SUP-1`;
    const taxId = freshGermanVat();
    const iban = freshGermanIban();
    const name = `Onboarding ${tag} Datentechnik GmbH`;
    await insertSupplier(source, { code, name, taxId, iban });
    const gross = await supplierInvoice(code, `${prefix}PI-1`);
    const invoice = await waitFor(
      async () =>
        (
          await sql<{ id: string; lines: number }>(
            `select i.id::text, (select count(*)::int from invoice_line l where l.invoice_id = i.id) as lines
               from invoice i where i.number = $1`,
            [`${prefix}PI-1`],
          )
        ).find((r) => r.lines === 1),
      60_000,
      'the supplier invoice and its line in the canonical model',
      200,
    );
    const vendorId = (await vendorOf(code))!;

    // Posted before the vendor is onboarded: accepted, and waiting for the vendor — no worker takes it.
    const posted = await ok<{
      postInvoice: {
        posting: { id: string; status: string; waitingFor: { vendorId: string; activationState: string } | null };
        userErrors: unknown[];
      };
    }>(
      CONTROLLER,
      `mutation($id: ID!, $k: String) { postInvoice(id: $id, idempotencyKey: $k) {
         posting { id status waitingFor { vendorId activationState reason } } userErrors { code message } } }`,
      { id: invoice!.id, k: `onboarding-${tag}` },
    );
    expect(posted.postInvoice.userErrors).toEqual([]);
    expect(posted.postInvoice.posting).toMatchObject({
      status: 'APPROVED',
      waitingFor: { vendorId, activationState: 'CHECKS_PENDING' },
    });
    expect(await claimPostings(pool, `probe-${tag}`, 10, 60_000)).toEqual([]);

    stack.startFlow();
    expect(await stack.activated(code)).toBe(vendorId);

    // Tryton holds the party with its tax identifier and its bank account (read back through JSON-RPC).
    const [party] = await erp.client.read<Array<{ id: number; name: string; identifiers: number[] }>>(
      'model.party.party.search_read',
      [[['identifiers.code', '=', taxId]], 0, null, null, ['name', 'identifiers']],
    );
    expect(party).toMatchObject({ name });
    const identifiers = await erp.client.read<Array<{ code: string; type: string }>>('model.party.identifier.read', [
      party!.identifiers,
      ['code', 'type'],
    ]);
    expect(identifiers).toEqual([expect.objectContaining({ code: taxId, type: 'de_vat' })]);
    const numbers = await erp.client.read<
      Array<{ number_compact: string; type: string; 'account.': { owners: number[] } }>
    >('model.bank.account.number.search_read', [
      [['number_compact', '=', iban]],
      0,
      null,
      null,
      ['number_compact', 'type', 'account.owners'],
    ]);
    expect(numbers).toEqual([
      { id: expect.any(Number), number_compact: iban, type: 'iban', 'account.': expect.anything() },
    ]);
    expect(numbers[0]!['account.'].owners).toContain(party!.id);

    // Through the gateway: activated, the ERP's party one of the vendor's sources.
    const seen = await ok<{
      vendor: {
        country: string;
        activation: { state: string; activatedAt: string | null; reason: string | null };
        sourceReferences: Array<{ system: string; sourceTable: string; sourceId: string }>;
      };
    }>(
      CONTROLLER,
      `query($id: ID!) { vendor(id: $id) { country activation { state activatedAt reason }
         sourceReferences { system sourceTable sourceId } } }`,
      { id: vendorId },
    );
    expect(seen.vendor.country).toBe('DE');
    expect(seen.vendor.activation).toMatchObject({ state: 'ACTIVATED', reason: null });
    expect(seen.vendor.activation.activatedAt).not.toBeNull();
    expect(seen.vendor.sourceReferences).toContainEqual({
      system: 'erp',
      sourceTable: 'public.party_party',
      sourceId: String(party!.id),
    });

    // The invoice that waited goes now, to the same party, exactly once.
    const postingId = posted.postInvoice.posting.id;
    const worker = runPostingWorker({
      pool,
      erp,
      erpTimeoutMs: 10_000,
      logger: pino({ level: 'silent' }),
      settings: { ...erpConfig.worker, workerId: `onboarding-${tag}`, idleMs: 100, backoffMs: 100, maxBackoffMs: 500 },
    });
    try {
      await waitFor(
        async () =>
          (await sql<{ status: string }>(`select status from posting where id = $1`, [postingId]))[0]?.status ===
          'POSTED',
        60_000,
        'the waiting invoice to be posted',
        200,
      );
    } finally {
      await worker.stop();
    }
    const inTryton = await erp.client.read<Array<{ state: string; total_amount: string; party: number }>>(
      'model.account.invoice.search_read',
      [[['reference', '=', `finsync:${postingId}`]], 0, null, null, ['state', 'total_amount', 'party']],
    );
    expect(inTryton).toEqual([expect.objectContaining({ state: 'posted', total_amount: gross, party: party!.id })]);
  }, 150_000);

  it('keeps a supplier with an invalid IBAN unactivated, with an exception naming the check and the field', async () => {
    const code = `${prefix}SUP-2`;
    const good = freshGermanIban();
    // A typing error: the last digit moved on by one, so the check digits no longer match.
    const iban = good.slice(0, -1) + String((Number(good.at(-1)) + 1) % 10);
    const taxId = freshGermanVat();
    await insertSupplier(source, { code, name: `Onboarding ${tag} Druckerei KG`, taxId, iban });
    const exception = await waitFor(
      async () =>
        (
          await ok<{
            exceptions: {
              edges: Array<{
                node: {
                  id: string;
                  code: string;
                  field: string;
                  message: string;
                  objectType: string;
                  canonicalId: string;
                  sourceId: string;
                };
              }>;
            };
          }>(
            CONTROLLER,
            `query($m: String) { exceptions(filter: { status: [OPEN], code: ["INVALID_IBAN"], messageContains: $m }) {
               edges { node { id code field message objectType canonicalId sourceId } } } }`,
            { m: code },
          )
        ).exceptions.edges[0]?.node,
      60_000,
      'the INVALID_IBAN exception',
      200,
    );
    const vendorId = await vendorOf(code);
    expect(exception).toEqual({
      id: expect.any(String),
      code: 'INVALID_IBAN',
      field: 'iban',
      objectType: 'VENDOR',
      canonicalId: vendorId,
      sourceId: code,
      message: `Vendor Onboarding ${tag} Druckerei KG (procurement public.supplier ${code}) cannot be activated: its IBAN ${iban} is not valid for DE: its check digits are wrong (a typing error in the account number?); correct the supplier's bank account in the source system.`,
    });
    const seen = await ok<{ vendor: { status: string; activation: { state: string; reason: string } } }>(
      CONTROLLER,
      `query($id: ID!) { vendor(id: $id) { status activation { state reason } } }`,
      { id: vendorId },
    );
    // The source's status stays what the source says; the onboarding holds the activation back.
    expect(seen.vendor.status).toBe('ACTIVE');
    expect(seen.vendor.activation.state).toBe('CHECKS_FAILED');
    expect(seen.vendor.activation.reason).toContain('its IBAN');
    // Nothing was created in the ERP for it.
    expect(await erp.findParty(taxId)).toBeNull();

    // Its invoice, posted, waits on the vendor: the exception shows it, counted and totalled.
    await supplierInvoice(code, `${prefix}PI-2`);
    const invoiceId = await waitFor(
      async () =>
        (
          await sql<{ id: string }>(
            `select i.id::text from invoice i where i.number = $1
                and exists (select 1 from invoice_line l where l.invoice_id = i.id)`,
            [`${prefix}PI-2`],
          )
        )[0]?.id,
      60_000,
      'the invoice of the vendor with the invalid IBAN',
      200,
    );
    const posted = await ok<{ postInvoice: { posting: { waitingFor: { activationState: string } } } }>(
      CONTROLLER,
      `mutation($id: ID!) { postInvoice(id: $id, idempotencyKey: "iban-${tag}") { posting { waitingFor { activationState } } } }`,
      { id: invoiceId },
    );
    expect(posted.postInvoice.posting.waitingFor).toEqual({ activationState: 'CHECKS_FAILED' });
    const waiting = await ok<{
      exception: { waiting: { count: number; totals: Array<{ amount: string; currency: string }> } };
    }>(CONTROLLER, `query($id: ID!) { exception(id: $id) { waiting { count totals { amount currency } } } }`, {
      id: exception!.id,
    });
    expect(waiting.exception.waiting).toEqual({ count: 1, totals: [{ amount: '238.00', currency: 'EUR' }] });
  }, 90_000);

  it('shows what waits on a duplicate vendor, and releases it when a steward decides SAME or DISTINCT', async () => {
    const name = `Duplikat ${tag} Logistik GmbH`;
    const original = `${prefix}SUP-3`;
    const same = `${prefix}SUP-4`;
    const distinct = `${prefix}SUP-5`;
    await insertSupplier(source, { code: original, name, taxId: freshGermanVat(), iban: freshGermanIban() });
    await waitFor(() => vendorOf(original), 60_000, 'the original vendor', 200);
    const originalId = (await vendorOf(original))!;
    // Same name, other tax ids: a question for a person, never a silent merge.
    await insertSupplier(source, { code: same, name, taxId: freshGermanVat(), iban: freshGermanIban() });
    await insertSupplier(source, { code: distinct, name, taxId: freshGermanVat(), iban: freshGermanIban() });
    await supplierInvoice(same, `${prefix}PI-4A`, 'EUR', '200.00');
    await supplierInvoice(same, `${prefix}PI-4B`, 'GBP', '100.00');
    await supplierInvoice(distinct, `${prefix}PI-5A`, 'EUR', '50.00');

    type Waiting = {
      count: number;
      totals: Array<{ amount: string; currency: string }>;
      lines: number;
      oldestSince: string | null;
    };
    type Node = {
      id: string;
      sourceId: string;
      status: string;
      resolutionReason: string | null;
      waiting: Waiting;
      waitingDocuments: Array<{
        sourceId: string;
        waitsFor: string;
        since: string;
        amount: { amount: string; currency: string } | null;
        heldBy: { id: string } | null;
      }>;
      actions: Array<{ action: string; actor: string; reason: string; outcome: string | null }>;
    };
    const duplicates = async () =>
      (
        await ok<{ exceptions: { edges: Array<{ node: Node }> } }>(
          STEWARD,
          `query($m: String) { exceptions(filter: { code: ["DUPLICATE_VENDOR"], messageContains: $m }) { edges { node {
             id sourceId status resolutionReason
             waiting { count totals { amount currency } lines oldestSince }
             waitingDocuments { sourceId waitsFor since amount { amount currency } heldBy { id } }
             actions { action actor reason outcome } } } } }`,
          { m: prefix },
        )
      ).exceptions.edges.map((e) => e.node);
    const bySource = (nodes: Node[] | undefined) => Object.fromEntries((nodes ?? []).map((n) => [n.sourceId, n]));
    const before = bySource(
      await waitFor(
        async () => {
          const nodes = await duplicates();
          const b = bySource(nodes);
          return b[same]?.waiting.count === 2 && b[same]?.waiting.lines === 2 && b[distinct]?.waiting.count === 1
            ? nodes
            : undefined;
        },
        60_000,
        'two DUPLICATE_VENDOR exceptions with their invoices waiting behind them',
        200,
      ),
    );
    expect(before[same]!.waiting).toMatchObject({
      count: 2,
      lines: 2,
      totals: [
        { amount: '238.00', currency: 'EUR' },
        { amount: '119.00', currency: 'GBP' },
      ],
    });
    expect(before[same]!.waiting.oldestSince).not.toBeNull();
    expect(before[distinct]!.waiting.totals).toEqual([{ amount: '59.50', currency: 'EUR' }]);
    const parked = before[same]!.waitingDocuments;
    expect(parked).toHaveLength(2);
    for (const p of parked) {
      expect(p.waitsFor).toMatch(new RegExp(`waits for vendor ${same} of procurement`));
      expect(p.heldBy).toEqual({ id: before[same]!.id });
      expect(Date.parse(p.since)).not.toBeNaN();
    }

    // An analyst may look, not decide.
    const decide = (p: Principal, id: string, decision: 'SAME' | 'DISTINCT', reason: string) =>
      as<{ resolveDuplicateVendor: { exception: { status: string } | null; userErrors: Array<{ code: string }> } }>(
        p,
        `mutation($id: ID!, $d: VendorDecision!, $r: String!) { resolveDuplicateVendor(id: $id, decision: $d, reason: $r) {
           exception { status } userErrors { code message } } }`,
        { id, d: decision, r: reason },
      );
    const refused = await decide(ANALYST, before[same]!.id, 'SAME', 'looks the same to me');
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    const sameReason = 'The same company: the second record was entered with its old tax id';
    const distinctReason = 'A different company of the same name in another city';
    expect(
      (await decide(STEWARD, before[same]!.id, 'SAME', sameReason)).data!.resolveDuplicateVendor.userErrors,
    ).toEqual([]);
    expect(
      (await decide(STEWARD, before[distinct]!.id, 'DISTINCT', distinctReason)).data!.resolveDuplicateVendor.userErrors,
    ).toEqual([]);

    const after = bySource(
      await waitFor(
        async () => {
          const nodes = await duplicates();
          return nodes.length === 2 && nodes.every((n) => n.status === 'RESOLVED') ? nodes : undefined;
        },
        60_000,
        'the pipeline to carry out both decisions',
        200,
      ),
    );
    expect(after[same]!.resolutionReason).toBe(
      `Same vendor: the supplier joined the existing golden record (data steward: ${sameReason})`,
    );
    expect(after[same]!.actions).toEqual([
      { action: 'SAME_VENDOR', actor: STEWARD.subject, reason: sameReason, outcome: 'APPLIED' },
    ]);
    expect(after[distinct]!.actions).toEqual([
      { action: 'DISTINCT_VENDOR', actor: STEWARD.subject, reason: distinctReason, outcome: 'APPLIED' },
    ]);
    for (const n of Object.values(after)) expect(n.waiting).toMatchObject({ count: 0, lines: 0, totals: [] });

    // Released against the right vendors: SAME's invoices belong to the original golden record, DISTINCT's to its own.
    expect(await vendorOf(same)).toBe(originalId);
    const distinctId = await vendorOf(distinct);
    expect(distinctId).not.toBeNull();
    expect(distinctId).not.toBe(originalId);
    const invoices = await ok<{
      invoices: {
        edges: Array<{ node: { number: string; vendor: { id: string } | null; lines: Array<{ lineNumber: number }> } }>;
      };
    }>(
      STEWARD,
      `query($p: String) { invoices(filter: { numberPrefix: $p }, first: 20) { edges { node { number vendor { id } lines { lineNumber } } } } }`,
      { p: `${prefix}PI-` },
    );
    const vendorOfInvoice = Object.fromEntries(
      invoices.invoices.edges.map((e) => [e.node.number, [e.node.vendor?.id, e.node.lines.length]]),
    );
    expect(vendorOfInvoice[`${prefix}PI-4A`]).toEqual([originalId, 1]);
    expect(vendorOfInvoice[`${prefix}PI-4B`]).toEqual([originalId, 1]);
    expect(vendorOfInvoice[`${prefix}PI-5A`]).toEqual([distinctId, 1]);
    // The decision is kept with who took it: the golden record is never merged without it.
    expect(await sql(`select source_id, decision, decided_by from vendor_match_decision order by source_id`)).toEqual([
      { source_id: same, decision: 'SAME', decided_by: STEWARD.subject },
      { source_id: distinct, decision: 'DISTINCT', decided_by: STEWARD.subject },
    ]);
  }, 150_000);

  it("runs the same way as the flow engine's steps: checks, CREATE_ERP_PARTY, ERP_ACKNOWLEDGED_VENDOR", async () => {
    // Outside the runner's prefix: only the steps, called as the engine calls them, onboard this one.
    const code = `VS${tag}-SUP-1`;
    const taxId = freshGermanVat();
    await insertSupplier(source, { code, name: `Schritte ${tag} Systemhaus AG`, taxId, iban: freshGermanIban() });
    const vendorId = await waitFor(() => vendorOf(code), 60_000, 'the vendor', 200);
    const ctx = { pool, erp, logger: pino({ level: 'silent' }) };
    const doc = { canonicalId: vendorId! };
    const steps = VENDOR_ONBOARDING_STEPS;
    for (const check of Object.values(steps.checks)) expect(await check(ctx, doc)).toEqual([]);
    const started = await steps.actions.CREATE_ERP_PARTY(ctx, doc);
    expect(started).toMatchObject({ kind: 'STARTED', reference: (await erp.findParty(taxId))!.id });
    const state = { actionReference: started.kind === 'STARTED' ? started.reference : null };
    // Again (an engine restarting mid-way): the same party, nothing created twice.
    expect(await steps.actions.CREATE_ERP_PARTY(ctx, doc)).toEqual(
      started.kind === 'STARTED' ? { ...started, note: expect.stringContaining('found') } : started,
    );
    const done = await waitFor(
      async () => {
        const out = await steps.completions.ERP_ACKNOWLEDGED_VENDOR(ctx, doc, state);
        return out.done ? out : null;
      },
      60_000,
      'the ERP to acknowledge the vendor',
      200,
    );
    expect(done).toEqual({ done: true, note: `activated: the ERP acknowledged party ${state.actionReference}` });
    const seen = await ok<{ vendor: { activation: { state: string } } }>(
      CONTROLLER,
      `query($id: ID!) { vendor(id: $id) { activation { state } } }`,
      { id: vendorId },
    );
    expect(seen.vendor.activation.state).toBe('ACTIVATED');
  }, 90_000);
});
