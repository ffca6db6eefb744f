/**
 * The operations console in a real headless Chromium (Debian's, driven by playwright-core) against the real stack
 * through a real gateway: the subgraphs and the gateway in this process over a scratch canonical database fed by
 * the live CDC pipeline from a fresh seed (with every planted anomaly) in the real source databases. Each test does
 * what a person does on the page and checks what they would read there.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import type { Page } from 'playwright-core';
import { mask } from '../../security/mask';
import {
  columnTexts,
  launchConsoleBrowser,
  SCREENSHOT_DIR,
  signInAsDeveloper,
  type ConsoleBrowser,
} from '../support/consoleBrowser';
import { gql, seededFederation, type SeededFederation } from '../support/seededFederation';
import type { RunningGateway } from '../../gateway/createGateway';
import { stackEnv } from '../support/stackEnv';
import { bearer } from '../support/tokens';
import { waitFor } from '../support/waitFor';
import { nextResults, wsClient } from '../support/wsClient';

const BUNDLE = join(__dirname, '..', '..', 'console', 'dist', 'index.html');
/** What a page may take to show a change that crosses the real stack (source DB → Debezium → Kafka → CDC → page). */
const LIVE_MS = 90_000;

describe('the operations console in a browser, against the real stack', () => {
  let s: SeededFederation;
  let browser: ConsoleBrowser;
  let base: string;
  /** The gateway started again on the same port by the reconnect test. */
  let restarted: RunningGateway | null = null;
  const tag = Date.now().toString(36);
  const person = (name: string, roles: string[], legalEntities = ['FS-EU', 'FS-US']) => ({
    subject: `${name}-${tag}@finsync.test`,
    roles,
    legalEntities,
  });
  const accountant = person('alice', ['accountant']);
  const approver = person('bob', ['approver']);
  /** A controller may approve in general: the console must still not offer her own posting to her. */
  const preparer = person('carol', ['controller'], ['FS-EU']);
  const viewer = person('victor', ['viewer']);
  const steward = person('stella', ['steward']);

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOT_DIR, `console-${name}.png`) });
  /** A new tab for one test: closed after it, with a screenshot of what it showed when the test failed. */
  const withPage = async (name: string, body: (page: Page) => Promise<void>) => {
    const page = await browser.newPage();
    try {
      await body(page);
    } catch (err) {
      await shot(page, `FAILED-${name}`).catch(() => undefined);
      throw err;
    } finally {
      await page.close();
    }
  };

  beforeAll(async () => {
    if (!existsSync(BUNDLE)) throw new Error(`the console is not built (${BUNDLE}): npm run console:build`);
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    s = await seededFederation('console', ['--scenario', 'anomalies']);
    base = s.fed.gateway.consoleUrl!;
    browser = await launchConsoleBrowser();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await restarted?.stop();
    await s?.stop();
  });

  it('serves the console with the security headers a browser app needs, and signs development tokens only for known roles', async () => {
    const res = await fetch(base);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const refused = await fetch(new URL('dev-token', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'mallory', roles: ['superuser'], legalEntities: ['FS-EU'] }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toContain('roles are viewer');
  });

  it('as an accountant: a bad row written into a source database arrives live as an exception; fixed at the source, it resolves on the page', async () => {
    const supplier = await s.pool.query<{ source_id: string }>(
      `select r.source_id from source_reference r join vendor v on v.id = r.canonical_id
        where r.source_table = 'public.supplier' and r.source_id like $1 || '%' and v.status = 'ACTIVE'
          and v.legal_entity_id = 'FS-EU' order by r.source_id limit 1`,
      [s.prefix],
    );
    const page = await browser.newPage();
    await page.goto(`${base}exceptions?code=PERIOD_CLOSED&text=${s.prefix}`);
    await signInAsDeveloper(page, accountant);
    await expect(page.getByTestId('signed-in-as').innerText()).resolves.toContain('(accountant)');
    const queue = page.getByRole('table', { name: 'Exception queue' });
    // The planted closed-period invoice of the seed is the one open PERIOD_CLOSED exception so far.
    await page.getByText('1 row', { exact: true }).waitFor();

    const number = `${s.prefix}PI-CONSOLE-1`;
    const procurement = new PgClient({ ...stackEnv.procurementPg });
    await procurement.connect();
    try {
      await procurement.query(
        `insert into supplier_invoice (supplier_ref, number, amount, currency, invoice_date, legal_entity, status)
         values ($1, $2, 1234.50, 'EUR', '2025-06-20', 'FS-EU', 'APPROVED')`,
        [supplier.rows[0]!.source_id, number],
      );
      // Live: the page shows it without being reloaded.
      const row = queue.locator('tbody tr', { hasText: number });
      await row.waitFor({ timeout: LIVE_MS });
      await expect(row.locator('td[data-col="code"]').innerText()).resolves.toBe('PERIOD_CLOSED');
      await expect(row.locator('td[data-col="message"]').innerText()).resolves.toMatch(/closed/i);
      await expect(row.locator('td[data-col="le"]').innerText()).resolves.toBe('FS-EU');
      await page.getByText('2 rows', { exact: true }).waitFor();
      await shot(page, 'exception-arrived');

      await row.getByRole('link').click();
      await page.getByRole('heading', { name: /PERIOD_CLOSED/ }).waitFor();
      await expect(page.getByText(number).first().isVisible()).resolves.toBe(true);
      await page
        .getByRole('heading', { name: /PERIOD_CLOSED/ })
        .getByText('OPEN')
        .waitFor();

      // Fixed at the source: the invoice moves into an open period.
      await procurement.query(`update supplier_invoice set invoice_date = '2026-03-20' where number = $1`, [number]);
      await page
        .getByRole('heading', { name: /PERIOD_CLOSED/ })
        .getByText('RESOLVED')
        .waitFor({ timeout: LIVE_MS });
      await page.getByText(/Corrected at source/).waitFor();
      // What a person may do with it is gone with it: actions are offered on open exceptions only.
      await expect(page.getByRole('button', { name: 'Retry' }).count()).resolves.toBe(0);
      await shot(page, 'exception-resolved');
    } finally {
      await procurement.end();
      await page.close();
    }
  });

  it('assigns an owner with a reason (audited), then finds it by owner', async () => {
    await withPage('assign', async (page) => {
      await page.goto(`${base}exceptions?code=UNKNOWN_DIMENSION&text=${s.prefix}`);
      await signInAsDeveloper(page, accountant);
      const queue = page.getByRole('table', { name: 'Exception queue' });
      await queue.locator('tbody tr[data-row-id]').first().getByRole('link').click();
      await page.getByRole('button', { name: 'Assign owner' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Owner (user id; empty: nobody)').fill(accountant.subject);
      await dialog.getByLabel('Reason').fill('Cost center mapping is mine to fix this week');
      await dialog.getByRole('button', { name: 'Assign' }).click();
      await page.getByTestId('owner').filter({ hasText: accountant.subject }).waitFor();
      const actions = page.getByRole('table', { name: 'Actions on this exception' });
      await expect(actions.locator('td[data-col="actor"]').first().innerText()).resolves.toBe(accountant.subject);
      await expect(actions.locator('td[data-col="change"]').first().innerText()).resolves.toBe(
        `owner nobody → ${accountant.subject}`,
      );
      await page.goto(`${base}exceptions?owner=me`);
      await page.getByText('1 row', { exact: true }).waitFor();
      await expect(columnTexts(page, 'Exception queue', 'code')).resolves.toEqual(['UNKNOWN_DIMENSION']);
    });
  });

  it('as an approver: approves a posting another user prepared, while its preparer is offered no approve button and the API refuses her', async () => {
    const POST = `mutation($input: JournalEntryPostingInput!, $key: String!) {
      postJournalEntry(input: $input, idempotencyKey: $key) { posting { id status } userErrors { code message } } }`;
    const input = {
      legalEntityId: 'FS-EU',
      journalType: 'ACCRUAL',
      number: `CONSOLE-${tag}`,
      transactionDate: '2026-11-20',
      currency: 'EUR',
      memo: `console accrual ${tag}`,
      lines: [
        { accountCode: '6300', debit: '12500.00', dimensions: [{ type: 'COST_CENTER', code: 'CC-100' }] },
        { accountCode: '2200', credit: '12500.00' },
      ],
    };
    const carol = { authorization: await bearer(preparer) };
    const prepared = await gql<{ postJournalEntry: { posting: { id: string; status: string } | null } }>(
      s.fed.gatewayUrl,
      POST,
      { input, key: `console-${tag}` },
      carol,
    );
    expect(prepared.data?.postJournalEntry.posting?.status).toBe('PENDING_APPROVAL');
    const id = prepared.data!.postJournalEntry.posting!.id;

    // The preparer sees her posting, waiting, and no approve button on it…
    const mine = await browser.newPage();
    await mine.goto(`${base}postings?status=PENDING_APPROVAL`);
    await signInAsDeveloper(mine, preparer);
    const row = (p: Page) =>
      p.getByRole('table', { name: 'Postings' }).locator('tbody tr', { hasText: `CONSOLE-${tag}` });
    await row(mine).waitFor();
    await expect(row(mine).locator('td[data-col="amount"]').innerText()).resolves.toBe('12,500.00 EUR');
    await expect(row(mine).locator('td[data-col="decision"]').innerText()).resolves.toBe('Awaiting another approver');
    await expect(row(mine).getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
    // …and the API refuses her, whatever a page offers.
    const refused = await gql<{ approvePosting: { userErrors: Array<{ code: string }> } }>(
      s.fed.gatewayUrl,
      `mutation($id: ID!) { approvePosting(id: $id) { posting { status } userErrors { code message } } }`,
      { id },
      carol,
    );
    expect(refused.data?.approvePosting.userErrors.map((e) => e.code)).toEqual(['SEGREGATION_OF_DUTIES']);
    await mine.close();

    await withPage('approve', async (page) => {
      await page.goto(`${base}postings?status=PENDING_APPROVAL`);
      await signInAsDeveloper(page, approver);
      await row(page).waitFor();
      await expect(row(page).locator('td[data-col="preparer"]').innerText()).resolves.toBe(preparer.subject);
      await shot(page, 'posting-to-approve');
      await row(page).getByRole('button', { name: 'Approve' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Approved: 12,500.00 EUR (FS-EU), prepared by ${preparer.subject}.` })
        .waitFor();
      // Approved, it leaves the "waiting for approval" list; in the full list it shows who approved it.
      await page.goto(`${base}postings`);
      await row(page).locator('td[data-col="approver"]', { hasText: approver.subject }).waitFor();
      await expect(row(page).locator('td[data-col="status"]').innerText()).resolves.toMatch(
        /APPROVED|SUBMITTED|POSTED/,
      );
    });
  });

  it('drills from a MISMATCH in the reconciliation grid down to the differing record and its journey', async () => {
    // The planted unknown cost center: its invoice's period and entity, as the source database has them.
    const planted = s.manifest.anomalies.find((a) => a.kind === 'UNKNOWN_DIMENSION')!;
    const procurement = new PgClient({ ...stackEnv.procurementPg });
    await procurement.connect();
    const { rows } = await procurement.query<{ number: string; period: string; le: string }>(
      `select number, to_char(invoice_date, 'YYYY-MM') as period, legal_entity as le
         from supplier_invoice where id = any($1::bigint[])`,
      [planted.sourceIds],
    );
    await procurement.end();
    const { number, period, le } = rows[0]!;

    await withPage('reconciliation', async (page) => {
      await page.goto(`${base}reconciliation?period=${period}&prefix=${encodeURIComponent(s.prefix)}`);
      await signInAsDeveloper(page, accountant);
      const cell = page.locator(
        `table[aria-label="Reconciliation grid"] td[data-flow="PROCUREMENT_SUPPLIER_INVOICES"][data-le="${le}"]`,
      );
      await cell.getByText('MISMATCH').waitFor();
      // The cell says what the API says for the flow, entity and period (other planted anomalies may share the month).
      const report = await gql<{
        reconciliation: { differenceCount: number; stages: Array<{ stage: string; count: number }> };
      }>(
        s.fed.gatewayUrl,
        `query($le: ID!, $p: String!, $n: String) { reconciliation(flow: "PROCUREMENT_SUPPLIER_INVOICES", legalEntityId: $le, period: $p, numberPrefix: $n) { differenceCount stages { stage count } } }`,
        { le, p: period, n: s.prefix },
      );
      const { differenceCount, stages: counts } = report.data!.reconciliation;
      expect(differenceCount).toBeGreaterThanOrEqual(1);
      const text = await cell.innerText();
      expect(text).toContain(`${differenceCount} difference${differenceCount === 1 ? '' : 's'}`);
      expect(text).toContain(
        `Source ${counts.find((c) => c.stage === 'SOURCE')!.count} · Canonical ${counts.find((c) => c.stage === 'CANONICAL')!.count}`,
      );
      await shot(page, 'reconciliation-grid');
      await cell.getByRole('link').click();

      const differences = page.getByRole('table', { name: 'Differing records' });
      const record = differences.locator('tbody tr', { hasText: number });
      await record.waitFor();
      await expect(record.locator('td[data-col="reason"]').innerText()).resolves.toBe('LINES_DIFFER');
      await expect(record.locator('td[data-col="exception"]').innerText()).resolves.toBe('UNKNOWN_DIMENSION');
      await record.getByRole('link', { name: `Journey of ${number}` }).click();

      await page.getByRole('heading', { name: 'Record journey' }).waitFor();
      const stages = page.getByRole('list', { name: 'Stages', exact: true });
      await stages.getByText('procurement · public.supplier_invoice ·').first().waitFor();
      await expect(stages.getByText(new RegExp(`^Invoice ${number} · `)).count()).resolves.toBe(1);
      // Why its lines differ: the refused line's own journey, with its exception, comes along.
      const line = page.getByRole('list', { name: 'Stages of a related row' });
      await line.getByText('procurement · public.supplier_invoice_line ·').first().waitFor();
      await expect(line.getByRole('link', { name: 'UNKNOWN_DIMENSION' }).count()).resolves.toBe(1);
      await expect(line.getByText(/cost center CC-999/).count()).resolves.toBeGreaterThan(0);
      await shot(page, 'journey');
    });
  });

  it('as a viewer: no action buttons anywhere, and a vendor’s IBAN masked', async () => {
    const { rows } = await s.pool.query<{ name: string; iban: string }>(
      `select v.name, v.iban from vendor v join source_reference r on r.canonical_id = v.id
        where r.source_id like $1 || '%' and v.iban is not null and v.legal_entity_id = 'FS-EU' order by v.name limit 1`,
      [s.prefix],
    );
    const vendor = rows[0]!;
    await withPage('viewer', async (page) => {
      await page.goto(`${base}vendors?name=${encodeURIComponent(vendor.name)}`);
      await signInAsDeveloper(page, viewer);
      const nav = page.getByRole('navigation', { name: 'Views' });
      await expect(nav.getByRole('link').allInnerTexts()).resolves.toEqual(['Overview', 'Postings', 'Vendors']);
      const row = page.getByRole('table', { name: 'Vendors' }).locator('tbody tr', { hasText: vendor.name });
      await row.waitFor();
      await expect(row.locator('td[data-col="iban"]').innerText()).resolves.toBe(mask(vendor.iban));
      await expect(page.content()).resolves.not.toContain(vendor.iban);
      await row.getByRole('link', { name: vendor.name }).click();
      await page
        .getByTestId('iban')
        .filter({ hasText: mask(vendor.iban)! })
        .waitFor();
      await expect(page.content()).resolves.not.toContain(vendor.iban);
      await shot(page, 'viewer-vendor');

      // The posting waiting for approval: the viewer sees it, and no button to act on it.
      await page.goto(`${base}postings`);
      const waiting = page.getByRole('table', { name: 'Postings' }).locator('tbody tr[data-row-id]').first();
      await waiting.waitFor();
      // Sorting and exporting are reading; nothing that acts is offered.
      await expect(
        page
          .locator('main')
          .getByRole('button', { name: /^(Approve|Reject|Retry|Resolve|Ignore|Assign)\b(?!r)/ })
          .count(),
      ).resolves.toBe(0);
      await expect(page.locator('main').getByRole('button').allInnerTexts()).resolves.not.toContain('Approve');
      await expect(page.getByRole('checkbox').count()).resolves.toBe(0);
    });
  });

  it('as a controller: the flows panel shows each flow’s version and counts from the API; pausing one with a reason shows it paused, live on another reader’s page, who is offered no Pause', async () => {
    const carol = { authorization: await bearer(preparer) };
    const FLOWS = `{ flows { id name version state stateReason stats { legalEntityId waiting posted failed } } }`;
    type Flows = {
      flows: Array<{
        id: string;
        name: string;
        version: number;
        state: string;
        stateReason: string | null;
        stats: Array<{ legalEntityId: string; waiting: number; posted: number; failed: number }>;
      }>;
    };
    // What the flow engine (not run in this federation) records of documents it routed: two waiting (one past its
    // SLA), one failed, one posted 7 minutes after its trigger (over the 5-minute SLA).
    await s.pool.query(
      `insert into flow_document (flow_id, canonical_id, legal_entity_id, number, definition_version, state,
                                  triggered_at, done_at, sla_breached_at)
       select 'PROCUREMENT_SUPPLIER_INVOICES', gen_random_uuid(), 'FS-EU', $1 || n, 1, st,
              now() - interval '10 minutes', case when st = 'DONE' then now() - interval '3 minutes' end,
              case when n = 1 then now() - interval '5 minutes' end
         from unnest(array['WAITING', 'WAITING', 'FAILED', 'DONE']) with ordinality as t(st, n)`,
      [`FLOWS-${tag}-`],
    );
    const before = (await gql<Flows>(s.fed.gatewayUrl, FLOWS, {}, carol)).data!.flows;
    const flow = before.find((f) => f.id === 'PROCUREMENT_SUPPLIER_INVOICES')!;
    expect(flow.state).toBe('RUNNING');
    const flowsTable = (page: Page) => page.getByRole('table', { name: 'Flows', exact: true });
    const stateOf = (page: Page) => flowsTable(page).locator(`tr[data-row-id="${flow.id}"] td[data-col="state"]`);

    // A viewer watches the overview: the flows, and nothing to operate them with.
    const watcher = await browser.newPage();
    try {
      await watcher.goto(base);
      await signInAsDeveloper(watcher, viewer);
      await stateOf(watcher).filter({ hasText: 'RUNNING' }).waitFor();
      await expect(
        watcher
          .locator('main')
          .getByRole('button', { name: /^(Pause|Resume)\b/ })
          .count(),
      ).resolves.toBe(0);

      await withPage('flows', async (page) => {
        await page.goto(`${base}?le=FS-EU`);
        await signInAsDeveloper(page, preparer);
        await stateOf(page).filter({ hasText: 'RUNNING' }).waitFor();
        await expect(columnTexts(page, 'Flows', 'version').then((v) => v.slice(0, before.length))).resolves.toEqual(
          before.map((f) => `v${f.version}`),
        );
        const eu = before.map((f) => f.stats.find((x) => x.legalEntityId === 'FS-EU')!);
        await expect(columnTexts(page, 'Flows by legal entity', 'waiting')).resolves.toEqual(
          eu.map((x) => String(x.waiting)),
        );
        await expect(columnTexts(page, 'Flows by legal entity', 'posted')).resolves.toEqual(
          eu.map((x) => String(x.posted)),
        );
        await expect(columnTexts(page, 'Flows by legal entity', 'le')).resolves.toEqual(eu.map(() => 'FS-EU'));
        expect(eu[before.indexOf(flow)]).toMatchObject({ waiting: 2, failed: 1, posted: 1 });
        const stats = page
          .getByRole('table', { name: 'Flows by legal entity' })
          .locator(`tr[data-row-id="${flow.id}:FS-EU"]`);
        await expect(stats.locator('td[data-col="p95"]').innerText()).resolves.toBe('7 min · over SLA');
        await expect(stats.locator('td[data-col="breaches"]').innerText()).resolves.toBe('1');

        const reason = `Tryton maintenance window ${tag}`;
        await page.getByRole('button', { name: `Pause ${flow.name}` }).click();
        await page.getByRole('dialog').getByLabel('Reason').fill(reason);
        await page.getByRole('dialog').getByRole('button', { name: 'Pause' }).click();
        await stateOf(page).filter({ hasText: 'PAUSED' }).waitFor();
        await flowsTable(page).locator(`tr[data-row-id="${flow.id}"]`, { hasText: reason }).waitFor();
        // Live on the other page, which did nothing.
        await stateOf(watcher).filter({ hasText: 'PAUSED' }).waitFor({ timeout: LIVE_MS });
        const paused = (await gql<Flows>(s.fed.gatewayUrl, FLOWS, {}, carol)).data!.flows.find(
          (f) => f.id === flow.id,
        )!;
        expect([paused.state, paused.stateReason]).toEqual(['PAUSED', reason]);
        await shot(page, 'flow-paused');

        await page.getByRole('button', { name: `Resume ${flow.name}` }).click();
        await page.getByRole('dialog').getByLabel('Reason').fill('Maintenance done');
        await page.getByRole('dialog').getByRole('button', { name: 'Resume' }).click();
        await stateOf(page).filter({ hasText: 'RUNNING' }).waitFor();
        await stateOf(watcher).filter({ hasText: 'RUNNING' }).waitFor({ timeout: LIVE_MS });
        const resumed = (await gql<Flows>(s.fed.gatewayUrl, FLOWS, {}, carol)).data!.flows.find(
          (f) => f.id === flow.id,
        )!;
        expect(resumed.state).toBe('RUNNING');
      });
    } finally {
      await watcher.close();
    }
  });

  it('exports to CSV exactly the rows on screen', async () => {
    await withPage('csv', async (page) => {
      await page.goto(`${base}exceptions?status=OPEN%2CRESOLVED%2CIGNORED&text=${s.prefix}`);
      await signInAsDeveloper(page, accountant);
      const table = page.getByRole('table', { name: 'Exception queue' });
      await table.locator('tbody tr[data-row-id]').first().waitFor();
      // Sorted by code on screen: the file follows the screen's order.
      await table.getByRole('button', { name: /^Code/ }).click();
      const codes = await columnTexts(page, 'Exception queue', 'code');
      const messages = await columnTexts(page, 'Exception queue', 'message');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('exceptions.csv');
      const csv = await readFile((await download.path())!, 'utf8');
      const lines = csv.trimEnd().split('\r\n');
      expect(lines[0]).toBe('Raised,Age,Code,Severity,Message,Legal entity,Flow,Source,Waiting,Owner,Status');
      expect(lines).toHaveLength(codes.length + 1);
      expect(codes.length).toBeGreaterThanOrEqual(6);
      const parsed = lines.slice(1).map(parseCsvLine);
      expect(parsed.map((r) => r[2])).toEqual(codes);
      expect(parsed.map((r) => r[4])).toEqual(messages);
    });
  });

  it('sends an expired session back to sign-in and, signed in again, to the page and filters it was on', async () => {
    await withPage('expiry', async (page) => {
      await page.goto(`${base}exceptions?code=PERIOD_CLOSED&text=${s.prefix}`);
      await signInAsDeveloper(page, accountant, '20 seconds (to see an expired session)');
      await page.getByRole('table', { name: 'Exception queue' }).locator('tbody tr[data-row-id]').first().waitFor();
      await page.getByRole('status').filter({ hasText: 'Your session has expired' }).waitFor({ timeout: 60_000 });
      await shot(page, 'session-expired');
      await signInAsDeveloper(page, accountant);
      await page.getByRole('table', { name: 'Exception queue' }).locator('tbody tr[data-row-id]').first().waitFor();
      expect(new URL(page.url()).pathname + new URL(page.url()).search).toBe(
        `/console/exceptions?code=PERIOD_CLOSED&text=${s.prefix}`,
      );
      await expect(page.getByLabel('Code').inputValue()).resolves.toBe('PERIOD_CLOSED');
      await expect(columnTexts(page, 'Exception queue', 'code')).resolves.toEqual(['PERIOD_CLOSED']);
    });
  });

  it('retries many exceptions at once with one reason, with the keyboard alone', async () => {
    await withPage('bulk', async (page) => {
      await page.goto(`${base}exceptions?code=PERIOD_CLOSED%2CDUPLICATE_INVOICE&text=${s.prefix}`);
      await signInAsDeveloper(page, accountant);
      await page.getByText('2 rows', { exact: true }).waitFor();
      await page.getByRole('checkbox', { name: 'Select all rows' }).focus();
      await page.keyboard.press('Space');
      const retry = page.getByRole('button', { name: 'Retry selected (2)' });
      await retry.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Retry 2 exceptions' });
      await dialog.waitFor();
      // The reason field has the focus; Escape closes without doing anything.
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await retry.focus();
      await page.keyboard.press('Enter');
      await page.keyboard.type('The ERP team reopened the period and merged the duplicate; try again');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Retry');
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: '2 of 2 sent for retry' }).waitFor();
      await page
        .getByRole('table', { name: 'Exception queue' })
        .locator('tbody tr', { hasText: 'DUPLICATE_INVOICE' })
        .getByRole('link')
        .click();
      const action = page.getByRole('table', { name: 'Actions on this exception' }).locator('tbody tr').first();
      await action.locator('td[data-col="action"]', { hasText: 'RETRY' }).waitFor();
      await expect(action.locator('td[data-col="actor"]').innerText()).resolves.toBe(accountant.subject);
      await expect(action.locator('td[data-col="reason"]').innerText()).resolves.toBe(
        'The ERP team reopened the period and merged the duplicate; try again',
      );
    });
  });

  it('as a steward: decides a possible duplicate vendor is a company of its own; the pipeline carries it out and the exception resolves', async () => {
    await withPage('steward', async (page) => {
      await page.goto(`${base}exceptions?code=DUPLICATE_VENDOR&text=${s.prefix}`);
      await signInAsDeveloper(page, steward);
      await page.getByText('1 row', { exact: true }).waitFor();
      const row = page.getByRole('table', { name: 'Exception queue' }).locator('tbody tr[data-row-id]');
      // A steward decides on master data; retrying or resolving other exceptions is not theirs to do.
      await expect(page.getByRole('checkbox').count()).resolves.toBe(0);
      await row.getByRole('link').click();
      const heading = page.getByRole('heading', { name: /DUPLICATE_VENDOR/ });
      await heading.getByText('OPEN').waitFor();
      await expect(page.getByRole('button', { name: 'Retry' }).count()).resolves.toBe(0);
      await page.getByRole('button', { name: 'Distinct vendor' }).click();
      await page.getByRole('dialog').getByLabel('Reason').fill('Different registered address and bank: two companies');
      await page.getByRole('dialog').getByRole('button', { name: 'Distinct vendor' }).click();
      await page.getByRole('status').filter({ hasText: 'Distinct vendor: recorded' }).waitFor();
      // Carried out by the pipeline, announced, and shown without a reload.
      await heading.getByText('RESOLVED').waitFor({ timeout: LIVE_MS });
      await page
        .getByText(
          'Distinct vendor: the supplier was created as a vendor of its own (data steward: Different registered address and bank: two companies)',
        )
        .waitFor();
      const action = page.getByRole('table', { name: 'Actions on this exception' }).locator('tbody tr').first();
      await expect(action.locator('td[data-col="actor"]').innerText()).resolves.toBe(steward.subject);
      await expect(action.locator('td[data-col="action"]').innerText()).resolves.toBe('DISTINCT_VENDOR');
      await shot(page, 'steward-decision');
    });
  });

  it('serves other clients what it serves the console: pages of postings, hourly counts, aging, flows, owners, freshness, status changes', async () => {
    const accountantAuth = { authorization: await bearer(accountant) };
    // Two more postings below the approval threshold (accepted at once; no worker runs here, so they stay APPROVED).
    for (const n of [1, 2]) {
      const out = await gql<{ postJournalEntry: { userErrors: unknown[] } }>(
        s.fed.gatewayUrl,
        `mutation($input: JournalEntryPostingInput!, $key: String!) { postJournalEntry(input: $input, idempotencyKey: $key) { userErrors { code } } }`,
        {
          key: `console-api-${tag}-${n}`,
          input: {
            legalEntityId: 'FS-EU',
            journalType: 'ACCRUAL',
            number: `CONSOLE-API-${tag}-${n}`,
            transactionDate: '2026-11-20',
            currency: 'EUR',
            lines: [
              { accountCode: '6300', debit: `${n}00.05`, dimensions: [{ type: 'COST_CENTER', code: 'CC-100' }] },
              { accountCode: '2200', credit: `${n}00.05` },
            ],
          },
        },
        accountantAuth,
      );
      expect(out.data?.postJournalEntry.userErrors).toEqual([]);
    }
    type Page = {
      postingsConnection: {
        totalCount: number;
        totals: Array<{ currency: string; count: number; sum: { amount: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: Array<{ node: { id: string; amount: { amount: string } } }>;
      };
    };
    const PAGE = `query($after: String) { postingsConnection(filter: { legalEntityId: ["FS-EU"] }, sort: { field: AMOUNT, direction: ASC }, first: 2, after: $after) {
      totalCount totals { currency count sum { amount } } pageInfo { hasNextPage endCursor } edges { node { id amount { amount } } } } }`;
    const first = (await gql<Page>(s.fed.gatewayUrl, PAGE, {})).data!.postingsConnection;
    const second = (await gql<Page>(s.fed.gatewayUrl, PAGE, { after: first.pageInfo.endCursor })).data!
      .postingsConnection;
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect([...first.edges, ...second.edges].map((e) => e.node.amount.amount)).toEqual([
      '100.05',
      '200.05',
      '12500.00',
    ]);
    expect(first.totals).toEqual([{ currency: 'EUR', count: 3, sum: { amount: '12800.10' } }]);
    // The plain list is what it was.
    const list = await gql<{ postings: unknown[] }>(s.fed.gatewayUrl, `{ postings(legalEntityId: "FS-EU") { id } }`);
    expect(list.data?.postings).toHaveLength(3);

    const trends = await gql<{
      postingCountsByHour: Array<{ hour: string; prepared: number }>;
      exceptionCountsByHour: Array<{ hour: string; raised: number; closed: number }>;
      exceptionAging: Array<{ bucket: string; count: number }>;
      open: { totalCount: number };
      all: { totalCount: number };
      payroll: { edges: Array<{ node: { code: string; flowId: string } }> };
      owned: { edges: Array<{ node: { code: string; owner: string } }> };
      cdcFreshness: Array<{
        system: string;
        lastAppliedAt: string | null;
        lastSourceCommitAt: string | null;
        lagSeconds: number | null;
      }>;
    }>(
      s.fed.gatewayUrl,
      `query($mine: ExceptionFilter!, $open: ExceptionFilter!, $payroll: ExceptionFilter!, $owned: ExceptionFilter!) {
        postingCountsByHour(filter: { legalEntityId: ["FS-EU"] }, hours: 3) { hour prepared }
        exceptionCountsByHour(filter: $mine, hours: 3) { hour raised closed }
        exceptionAging(filter: $mine) { bucket count }
        open: exceptions(filter: $open, first: 0) { totalCount }
        all: exceptions(filter: $mine, first: 0) { totalCount }
        payroll: exceptions(filter: $payroll) { edges { node { code flowId } } }
        owned: exceptions(filter: $owned) { edges { node { code owner } } }
        cdcFreshness { system lastAppliedAt lastSourceCommitAt lagSeconds }
      }`,
      {
        mine: { messageContains: s.prefix },
        open: { messageContains: s.prefix, status: ['OPEN'] },
        payroll: { messageContains: s.prefix, flow: ['PAYROLL_JOURNALS'] },
        owned: { messageContains: s.prefix, unassigned: false },
      },
    );
    const t = trends.data!;
    expect(trends.errors).toBeUndefined();
    expect(t.postingCountsByHour).toHaveLength(3);
    expect(t.postingCountsByHour.reduce((n, h) => n + h.prepared, 0)).toBe(3);
    expect(t.exceptionCountsByHour.reduce((n, h) => n + h.raised, 0)).toBe(t.all.totalCount);
    expect(t.exceptionCountsByHour.reduce((n, h) => n + h.closed, 0)).toBeGreaterThanOrEqual(1); // the one fixed at the source
    expect(t.exceptionAging.map((b) => b.bucket)).toEqual(['UNDER_1H', '1H_4H', '4H_24H', '1D_3D', 'OVER_3D']);
    expect(t.exceptionAging[0]!.count).toBe(t.open.totalCount);
    expect(t.payroll.edges.map((e) => e.node)).toEqual([{ code: 'UNBALANCED_JOURNAL', flowId: 'PAYROLL_JOURNALS' }]);
    expect(t.owned.edges.map((e) => e.node)).toEqual([{ code: 'UNKNOWN_DIMENSION', owner: accountant.subject }]);
    const procurement = t.cdcFreshness.find((f) => f.system === 'procurement')!;
    expect(t.cdcFreshness.map((f) => f.system)).toEqual(['billing', 'erp', 'payroll', 'procurement']);
    expect(Date.parse(procurement.lastSourceCommitAt!)).toBeLessThanOrEqual(Date.parse(procurement.lastAppliedAt!));
    expect(procurement.lagSeconds).toBeGreaterThanOrEqual(0);

    // Status changes reach subscribers, an assignment too; a viewer may not subscribe to the queue.
    const { rows } = await s.pool.query<{ id: string }>(
      `select id::text from exception where code = 'UNBALANCED_JOURNAL' and message like '%' || $1 || '%'`,
      [s.prefix],
    );
    const client = wsClient(s.fed.gatewayUrl, { authorization: await bearer(accountant) });
    const viewerClient = wsClient(s.fed.gatewayUrl, { authorization: await bearer(viewer) });
    try {
      const changes = client.iterate<{
        exceptionStatusChanged: { change: string; status: string; exception: { id: string; owner: string } };
      }>({
        query: `subscription { exceptionStatusChanged(code: ["UNBALANCED_JOURNAL"]) { change status exception { id owner } } }`,
      });
      const refused = viewerClient.iterate({ query: `subscription { exceptionStatusChanged { change } }` });
      const denial = nextResults(refused, 1, 30_000);
      // Subscriptions are live, not a history, and nothing says when one has reached the subgraph: assign until the
      // subscriber hears of an assignment (each one is a real, audited change of owner).
      const owners: string[] = [];
      const next = changes.next();
      let heard: Awaited<typeof next> | null = null;
      for (let attempt = 1; attempt <= 10 && !heard; attempt++) {
        const owner = `payroll.team.${attempt}@finsync.test`;
        owners.push(owner);
        const assigned = await gql<{ assignException: { userErrors: unknown[] } }>(
          s.fed.gatewayUrl,
          `mutation($id: ID!, $owner: String) { assignException(id: $id, owner: $owner, reason: "Payroll owns unbalanced runs") { userErrors { code } } }`,
          { id: rows[0]!.id, owner },
          accountantAuth,
        );
        expect(assigned.data?.assignException.userErrors).toEqual([]);
        heard = await Promise.race([next, new Promise<null>((r) => setTimeout(() => r(null), 3_000).unref())]);
      }
      const event = heard?.value?.data?.exceptionStatusChanged;
      expect(event).toMatchObject({ change: 'ASSIGNED', status: 'OPEN', exception: { id: rows[0]!.id } });
      expect(owners).toContain(event!.exception.owner);
      const [denied] = await denial;
      expect((denied as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code).toBe(
        'FORBIDDEN',
      );
      await changes.return?.();
    } finally {
      await client.dispose();
      await viewerClient.dispose();
    }
  });

  it('says when the live connection is lost and, once it is back, reloads what the page shows and says so', async () => {
    await withPage('reconnect', async (page) => {
      await page.goto(`${base}exceptions?code=PERIOD_CLOSED&text=${s.prefix}`);
      await signInAsDeveloper(page, accountant);
      await page.getByText('1 row', { exact: true }).waitFor();
      const port = Number(new URL(s.fed.gatewayUrl).port);
      await s.fed.gateway.stop();
      await page.getByRole('status').filter({ hasText: 'Live connection lost: reconnecting…' }).waitFor();
      // While the page is cut off, a bad row comes in: no subscription can tell the page about it.
      const number = `${s.prefix}PI-CONSOLE-2`;
      const procurement = new PgClient({ ...stackEnv.procurementPg });
      await procurement.connect();
      try {
        const supplier = await s.pool.query<{ source_id: string }>(
          `select r.source_id from source_reference r join vendor v on v.id = r.canonical_id
            where r.source_table = 'public.supplier' and r.source_id like $1 || '%' and v.status = 'ACTIVE'
              and v.legal_entity_id = 'FS-EU' order by r.source_id limit 1`,
          [s.prefix],
        );
        await procurement.query(
          `insert into supplier_invoice (supplier_ref, number, amount, currency, invoice_date, legal_entity, status)
           values ($1, $2, 99.90, 'EUR', '2025-06-21', 'FS-EU', 'APPROVED')`,
          [supplier.rows[0]!.source_id, number],
        );
      } finally {
        await procurement.end();
      }
      await waitFor(
        async () =>
          (await s.pool.query(`select 1 from exception where message like '%' || $1 || '%'`, [number])).rowCount,
        LIVE_MS,
        `the exception of ${number}`,
        250,
      );
      restarted = await s.fed.startGateway({}, undefined, port);
      await page
        .getByRole('status')
        .filter({ hasText: /^Reconnected at .*: what this page shows was loaded again\.$/ })
        .waitFor({ timeout: 60_000 });
      await page.getByRole('table', { name: 'Exception queue' }).locator('tbody tr', { hasText: number }).waitFor();
      await page.getByText('2 rows', { exact: true }).waitFor();
      await shot(page, 'reconnected');
    });
  });
});

/** One CSV record (RFC 4180 quoting) as its cells. */
function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      cells.push(cur);
      cur = '';
    } else cur += ch;
  }
  cells.push(cur);
  return cells;
}
