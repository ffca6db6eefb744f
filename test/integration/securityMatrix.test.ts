/**
 * Issue 6 through the gateway, on the real stack: who may see and do what. An authorization matrix — role ×
 * legal entity × operation (lists and their totals, lookups, nested fields across subgraphs, masked fields, the
 * exception queue, audit trails, reconciliation, a posting mutation, a subscription) — where every cell asserts
 * allowed or denied and the exact data returned, against the canonical store read directly. Denials and
 * mutations are audit events naming the principal.
 */
import { createConnection } from 'mysql2/promise';
import type { Principal } from '../../security/Principal';
import { mask } from '../../security/mask';
import { may, type Permission } from '../../security/roles';
import { gql, seededFederation, type SeededFederation } from '../support/seededFederation';
import { stackEnv } from '../support/stackEnv';
import { bearer } from '../support/tokens';
import { nextResults, wsClient } from '../support/wsClient';

const ROLES = ['viewer', 'analyst', 'accountant', 'approver', 'steward', 'controller', 'service'] as const;
const ENTITIES = ['FS-EU', 'FS-US'] as const;
const principal = (role: string, le: string): Principal => ({
  subject: `${role}-${le}@finsync.test`,
  roles: [role],
  legalEntities: [le],
});
const CELLS = ROLES.flatMap((role) => ENTITIES.map((le) => [role, le] as const));

type Body<T> = Awaited<ReturnType<typeof gql<T>>>;
const forbidden = (body: Body<unknown>) => body.errors?.map((e) => e.extensions?.code);

describe('authorization matrix through the gateway: role × legal entity × operation', () => {
  let s: SeededFederation;
  const as = async <T>(p: Principal, query: string, variables: Record<string, unknown> = {}) =>
    gql<T>(s.fed.gatewayUrl, query, variables, { authorization: await bearer(p) });
  /** What the canonical store holds, read as its owner (no row-level security). */
  const sql = async <T extends Record<string, unknown>>(text: string, values: unknown[] = []) =>
    (await s.pool.query<T>(text, values)).rows;
  let euVendor: { id: string; tax_id: string; iban: string };
  let euApInvoice: { id: string; correlation_id: string };
  let usArInvoice: { id: string };

  beforeAll(async () => {
    s = await seededFederation('security', ['--scenario', 'anomalies']);
    [euVendor] = (await sql<{ id: string; tax_id: string; iban: string }>(
      `select v.id::text, v.tax_id, v.iban from vendor v join source_reference r on r.canonical_id = v.id
        where r.source_id like $1 || 'SUP-%' and v.iban is not null and v.tax_id is not null order by r.source_id limit 1`,
      [s.prefix],
    )) as [{ id: string; tax_id: string; iban: string }];
    [euApInvoice] = (await sql<{ id: string; correlation_id: string }>(
      `select id::text, correlation_id::text from invoice where legal_entity_id = 'FS-EU' and type = 'ACCOUNTS_PAYABLE'
          and vendor_id = $2 and number like $1 || '%' order by number limit 1`,
      [s.prefix, euVendor.id],
    )) as [{ id: string; correlation_id: string }];
    [usArInvoice] = (await sql<{ id: string }>(
      `select id::text from invoice where legal_entity_id = 'FS-US' and type = 'ACCOUNTS_RECEIVABLE' and number like $1 || '%'
        order by number limit 1`,
      [s.prefix],
    )) as [{ id: string }];
  }, 300_000);

  afterAll(async () => {
    await s?.stop();
  });

  it.each(CELLS)('%s of %s: invoice list and totals hold exactly its entity', async (role, le) => {
    const body = await as<{
      invoices: { totalCount: number; totals: Array<{ currency: string; count: number; sum: { amount: string } }> };
    }>(
      principal(role, le),
      `query($p: String!) { invoices(filter: { numberPrefix: $p }) { totalCount totals { currency count sum { amount } } } }`,
      { p: s.prefix },
    );
    expect(body.errors).toBeUndefined();
    const expected = await sql<{ currency: string; count: number; sum: string }>(
      `select currency, count(*)::int as count, sum(total_amount)::text as sum from invoice
        where legal_entity_id = $2 and number like $1 || '%' and not deleted_at_source group by currency order by currency`,
      [s.prefix, le],
    );
    expect(body.data!.invoices.totalCount).toBe(expected.reduce((n, r) => n + r.count, 0));
    expect(body.data!.invoices.totals.map((t) => [t.currency, t.count, Number(t.sum.amount).toFixed(2)])).toEqual(
      expected.map((r) => [r.currency.trim(), r.count, Number(r.sum).toFixed(2)]),
    );
  });

  it.each(CELLS)(
    '%s of %s: looks up only its own records, across subgraphs, masked unless it may read them',
    async (role, le) => {
      const p = principal(role, le);
      const body = await as<{
        vendor: { taxId: string | null; iban: string | null } | null;
        ap: { vendor: { taxId: string | null } | null } | null;
        ar: { id: string } | null;
      }>(
        p,
        `query($v: ID!, $ap: ID!, $ar: ID!) {
         vendor(id: $v) { taxId iban }
         ap: invoice(id: $ap) { vendor { taxId } }
         ar: invoice(id: $ar) { id } }`,
        { v: euVendor.id, ap: euApInvoice.id, ar: usArInvoice.id },
      );
      expect(body.errors).toBeUndefined();
      const sensitive = may(p, 'read:sensitive');
      const shown = (v: string) => (sensitive ? v : `${'•'.repeat(v.length - 4)}${v.slice(-4)}`);
      if (le === 'FS-EU') {
        expect(body.data!.vendor).toEqual({ taxId: shown(euVendor.tax_id), iban: shown(euVendor.iban) });
        expect(body.data!.ap).toEqual({ vendor: { taxId: shown(euVendor.tax_id) } });
        expect(body.data!.ar).toBeNull();
      } else {
        expect(body.data!.vendor).toBeNull();
        expect(body.data!.ap).toBeNull();
        expect(body.data!.ar).toEqual({ id: usArInvoice.id });
      }
    },
  );

  /** Allowed: the data; denied: FORBIDDEN, and nothing else. */
  const gated = async <T>(p: Principal, permission: Permission, query: string, variables: Record<string, unknown>) => {
    const body = await as<T>(p, query, variables);
    if (!may(p, permission)) {
      expect(forbidden(body)).toEqual(['FORBIDDEN']);
      expect(body.data ?? null).toBeNull();
      return null;
    }
    expect(body.errors).toBeUndefined();
    return body.data!;
  };

  it.each(CELLS)('%s of %s: the exception queue, only its entity', async (role, le) => {
    const data = await gated<{ exceptions: { totalCount: number } }>(
      principal(role, le),
      'read:exceptions',
      `query($p: String!) { exceptions(filter: { messageContains: $p }) { totalCount } }`,
      { p: s.prefix },
    );
    if (!data) return;
    const [expected] = await sql<{ n: number }>(
      `select count(*)::int as n from exception where legal_entity_id = $2 and message like '%' || $1 || '%'`,
      [s.prefix, le],
    );
    expect(data.exceptions.totalCount).toBe(expected!.n);
  });

  it.each(CELLS)(
    '%s of %s: a duplicate-vendor exception quotes the tax id only to who may read it',
    async (role, le) => {
      const [row] = await sql<{ id: string; legal_entity_id: string | null; message: string; tax_id: string }>(
        `select e.id::text, e.legal_entity_id, e.message, v.tax_id from exception e join vendor v on v.id = e.canonical_id
          where e.code = 'DUPLICATE_VENDOR' and e.message like '%' || v.tax_id || '%' and e.source_id like $1 || '%'
          order by e.id limit 1`,
        [s.prefix],
      );
      expect(row).toBeDefined();
      const p = principal(role, le);
      const body = await as<{ exception: { message: string; sourceEvent: string | null } | null }>(
        p,
        `query($id: ID!) { exception(id: $id) { message sourceEvent } }`,
        { id: row!.id },
      );
      if (!may(p, 'read:exceptions')) {
        expect(forbidden(body)).toEqual(['FORBIDDEN']);
        return expect(body.data?.exception ?? null).toBeNull();
      }
      expect(body.errors).toBeUndefined();
      const data = body.data!;
      const visible = row!.legal_entity_id === le || (row!.legal_entity_id === null && may(p, 'read:unscoped'));
      if (!visible) return expect(data.exception).toBeNull();
      const { message, sourceEvent } = data.exception!;
      if (may(p, 'read:sensitive')) {
        expect(message).toBe(row!.message);
      } else {
        expect(message).toBe(row!.message.split(row!.tax_id).join(mask(row!.tax_id)!));
        expect(sourceEvent ?? '').not.toContain(row!.tax_id);
      }
    },
  );

  it.each(CELLS)('%s of %s: deciding a duplicate vendor needs the master-data permission', async (role, le) => {
    const [row] = await sql<{ id: string }>(
      `select e.id::text from exception e where e.code = 'DUPLICATE_VENDOR' and e.source_id like $1 || '%' limit 1`,
      [s.prefix],
    );
    // An empty reason: a permitted principal gets the userError (nothing is decided), anyone else FORBIDDEN.
    const data = await gated<{ resolveDuplicateVendor: { userErrors: Array<{ code: string }> } }>(
      principal(role, le),
      'act:master-data',
      `mutation($id: ID!) { resolveDuplicateVendor(id: $id, decision: SAME, reason: " ") { userErrors { code } } }`,
      { id: row!.id },
    );
    expect(may(principal(role, le), 'act:master-data')).toBe(['steward', 'controller'].includes(role));
    if (data) expect(data.resolveDuplicateVendor.userErrors.map((e) => e.code)).toEqual(['REASON_REQUIRED']);
  });

  it.each(CELLS)('%s of %s: an audit trail, only for its own records', async (role, le) => {
    const data = await gated<{ auditTrail: { events: Array<{ stage: string }> } }>(
      principal(role, le),
      'read:audit',
      `query($c: ID!) { auditTrail(correlationId: $c) { events { stage } } }`,
      { c: euApInvoice.correlation_id },
    );
    if (!data) return;
    const [expected] = await sql<{ n: number }>(
      `select count(*)::int as n from audit_event where correlation_id = $1`,
      [euApInvoice.correlation_id],
    );
    expect(data.auditTrail.events).toHaveLength(le === 'FS-EU' ? expected!.n : 0);
    if (le === 'FS-EU') expect(expected!.n).toBeGreaterThan(0);
  });

  it.each(CELLS)("%s of %s: reconciliation of its entity, never another's", async (role, le) => {
    const p = principal(role, le);
    const query = `query($le: ID!, $p: String!) { reconciliations(legalEntityId: $le, period: "2026-03", numberPrefix: $p) { flow { id } legalEntityId } }`;
    const own = await gated<{ reconciliations: Array<{ flow: { id: string }; legalEntityId: string }> }>(
      p,
      'read:reconciliation',
      query,
      { le, p: s.prefix },
    );
    if (own) {
      expect(own.reconciliations.length).toBeGreaterThan(0);
      expect(new Set(own.reconciliations.map((r) => r.legalEntityId))).toEqual(new Set([le]));
    }
    const other = await as(p, query, { le: le === 'FS-EU' ? 'FS-US' : 'FS-EU', p: s.prefix });
    expect(forbidden(other)).toEqual(['FORBIDDEN']);
  });

  it.each(CELLS)('%s of %s: posting a journal of FS-EU', async (role, le) => {
    const p = principal(role, le);
    const key = `matrix-${role}-${le}-${s.seed}`;
    const body = await as<{
      postJournalEntry: { posting: { status: string; preparer: string } | null; userErrors: Array<{ code: string }> };
    }>(
      p,
      `mutation($k: String!, $n: String!) { postJournalEntry(idempotencyKey: $k, input: {
          legalEntityId: "FS-EU", journalType: ACCRUAL, number: $n, transactionDate: "2026-11-20", currency: "EUR",
          lines: [{ accountCode: "6300", debit: "10.00", dimensions: [{ type: "COST_CENTER", code: "CC-100" }] },
                  { accountCode: "2200", credit: "10.00" }] }) {
          posting { status preparer } userErrors { code } } }`,
      { k: key, n: `MX-${role}-${le}` },
    );
    if (may(p, 'post') && le === 'FS-EU') {
      expect(body.errors).toBeUndefined();
      expect(body.data!.postJournalEntry).toEqual({
        posting: { status: 'APPROVED', preparer: p.subject },
        userErrors: [],
      });
    } else {
      expect(forbidden(body)).toEqual(['FORBIDDEN']);
      expect(await sql(`select 1 from posting where idempotency_key = $1`, [key])).toEqual([]);
    }
  });

  it('records every denied access and every mutation as an audit event naming the principal', async () => {
    const rows = await sql<{ stage: string; subject: string; operation: string }>(
      `select stage, detail->'principal'->>'subject' as subject, detail->>'operation' as operation from audit_event
        where stage in ('ACCESS_DENIED', 'MUTATION') and detail->'principal'->>'subject' like '%@finsync.test'`,
    );
    expect(rows).toContainEqual({
      stage: 'ACCESS_DENIED',
      subject: 'viewer-FS-EU@finsync.test',
      operation: 'Query.exceptions',
    });
    expect(rows).toContainEqual({
      stage: 'ACCESS_DENIED',
      subject: 'analyst-FS-US@finsync.test',
      operation: 'Mutation.postJournalEntry',
    });
    expect(rows).toContainEqual({
      stage: 'MUTATION',
      subject: 'accountant-FS-EU@finsync.test',
      operation: 'Mutation.postJournalEntry',
    });
    // Every cell that was refused left its row: one denial per FORBIDDEN answered above at least.
    expect(rows.filter((r) => r.stage === 'ACCESS_DENIED').length).toBeGreaterThanOrEqual(12);
  });

  it("streams an invoice's status change to a subscriber of its entity only", async () => {
    const [target] = await sql<{ source_id: string; customer_id: string }>(
      `select r.source_id, i.customer_id::text from invoice i join source_reference r on r.canonical_id = i.id
        where r.source_table = 'billing.invoice' and i.legal_entity_id = 'FS-EU' and i.number like $1 || '%'
          and i.status <> 'VOID' order by i.number limit 1`,
      [s.prefix],
    );
    const query = `subscription { invoiceStatusChanged { status invoice { legalEntityId } } }`;
    const eu = wsClient(s.fed.gatewayUrl, { authorization: await bearer(principal('analyst', 'FS-EU')) });
    const us = wsClient(s.fed.gatewayUrl, { authorization: await bearer(principal('analyst', 'FS-US')) });
    try {
      const euEvents = eu.iterate<{ invoiceStatusChanged: { status: string; invoice: { legalEntityId: string } } }>({
        query,
      });
      const usEvents = us.iterate<{ invoiceStatusChanged: { status: string; invoice: { legalEntityId: string } } }>({
        query,
      });
      await new Promise((r) => setTimeout(r, 3_000));
      const billing = await createConnection({ ...stackEnv.billingMariadb });
      await billing.query(`update invoice set status = 'void' where id = ?`, [Number(target!.source_id)]);
      await billing.end();
      const [seen] = await nextResults(euEvents, 1, 90_000);
      expect(seen!.data!.invoiceStatusChanged).toEqual({ status: 'VOID', invoice: { legalEntityId: 'FS-EU' } });
      // The same event was on the topic for the FS-US subscriber's subgraph too: it must not have reached it.
      await expect(nextResults(usEvents, 1, 3_000)).rejects.toThrow(/after 3000 ms: \[\]/);
      await euEvents.return?.();
      await usEvents.return?.();
    } finally {
      await eu.dispose();
      await us.dispose();
    }
  });
});
