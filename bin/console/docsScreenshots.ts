/**
 * `npm run docs:screenshots`: a screenshot of each console view, from real data, for docs/console.md. Starts what
 * the browser tests start — a scratch canonical database fed by the live CDC pipeline from a fresh seed with every
 * planted anomaly in the real sources, the subgraphs and the gateway in this process — adds a posting waiting for
 * approval and an owner on one exception, and photographs each view at 1280×800 in headless Chromium as a
 * controller (the vendor also as a viewer, masked). Writes docs/console/*.png; needs the stack (`npm run stack:up`)
 * and the built console (`npm run console:build`).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Client as PgClient } from 'pg';
import { launchConsoleBrowser, signInAsDeveloper } from '../../test/support/consoleBrowser';
import { gql, seededFederation } from '../../test/support/seededFederation';
import { stackEnv } from '../../test/support/stackEnv';
import { bearer } from '../../test/support/tokens';

const OUT = join(__dirname, '..', '..', 'docs', 'console');
const controller = {
  subject: 'dana.controller@finsync.example',
  roles: ['controller'],
  legalEntities: ['FS-EU', 'FS-US'],
};
const accountant = { subject: 'alex.accountant@finsync.example', roles: ['accountant'], legalEntities: ['FS-EU'] };
const viewer = { subject: 'val.viewer@finsync.example', roles: ['viewer'], legalEntities: ['FS-EU', 'FS-US'] };

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const s = await seededFederation('docs', ['--scenario', 'anomalies']);
  const browser = await launchConsoleBrowser();
  try {
    const base = s.fed.gateway.consoleUrl!;
    // A journal above the approval threshold, prepared by an accountant: it waits for an approver.
    await gql(
      s.fed.gatewayUrl,
      `mutation($input: JournalEntryPostingInput!, $key: String!) { postJournalEntry(input: $input, idempotencyKey: $key) { posting { id } } }`,
      {
        key: `docs-${s.seed}`,
        input: {
          legalEntityId: 'FS-EU',
          journalType: 'ACCRUAL',
          number: `${s.prefix}ACCR-1`,
          transactionDate: '2026-11-20',
          currency: 'EUR',
          memo: 'software licences accrual',
          lines: [
            { accountCode: '6300', debit: '12500.00', dimensions: [{ type: 'COST_CENTER', code: 'CC-100' }] },
            { accountCode: '2200', credit: '12500.00' },
          ],
        },
      },
      { authorization: await bearer(accountant) },
    );
    const planted = s.manifest.anomalies.find((a) => a.kind === 'UNKNOWN_DIMENSION')!;
    const procurement = new PgClient({ ...stackEnv.procurementPg });
    await procurement.connect();
    const invoice = (
      await procurement.query<{ number: string; period: string; le: string }>(
        `select number, to_char(invoice_date, 'YYYY-MM') as period, legal_entity as le from supplier_invoice where id = any($1::bigint[])`,
        [planted.sourceIds],
      )
    ).rows[0]!;
    await procurement.end();

    /** The viewport (1280×800) of a list; the whole page of a report (`full`). */
    const shot = async (page: Page, name: string, full = false) => {
      await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: full });
      process.stdout.write(`docs/console/${name}.png\n`);
    };
    const page = await browser.newPage();
    // The demo data's own number series: the stand-in sources hold other runs' records too.
    await page.goto(`${base}?prefix=${s.prefix}`);
    await page.getByLabel('User id').fill(controller.subject);
    await shot(page, 'sign-in');
    await signInAsDeveloper(page, controller);
    await page.getByTestId('open-exceptions').waitFor();
    await page.getByRole('table', { name: 'CDC freshness by source system' }).waitFor();
    await page.getByRole('table', { name: 'Flows by legal entity' }).waitFor();
    await shot(page, 'overview', true);

    await page.goto(`${base}exceptions?text=${s.prefix}`);
    const queue = page.getByRole('table', { name: 'Exception queue' });
    await queue.locator('tbody tr[data-row-id]').first().waitFor();
    await shot(page, 'exceptions');
    await queue.locator('tbody tr', { hasText: 'UNKNOWN_DIMENSION' }).getByRole('link').click();
    await page.getByRole('button', { name: 'Assign owner' }).click();
    await page.getByLabel('Reason').fill('The cost center mapping for CC-999 is mine to add');
    await page.getByRole('dialog').getByRole('button', { name: 'Assign' }).click();
    await page.getByTestId('owner').filter({ hasText: controller.subject }).waitFor();
    await page.getByRole('table', { name: 'Audit trail' }).locator('tbody tr[data-row-id]').first().waitFor();
    await shot(page, 'exception-detail', true);

    await page.goto(`${base}reconciliation?period=${invoice.period}&prefix=${s.prefix}`);
    const cell = page.locator(`td[data-flow="PROCUREMENT_SUPPLIER_INVOICES"][data-le="${invoice.le}"]`);
    await cell.getByText('MISMATCH').waitFor({ timeout: 60_000 });
    await shot(page, 'reconciliation');
    await cell.getByRole('link').click();
    await page
      .getByRole('table', { name: 'Differing records' })
      .locator('tbody tr', { hasText: invoice.number })
      .waitFor();
    await shot(page, 'reconciliation-detail', true);
    await page.getByRole('link', { name: `Journey of ${invoice.number}` }).click();
    await page.getByRole('list', { name: 'Stages', exact: true }).waitFor();
    await shot(page, 'journey', true);

    await page.goto(`${base}postings`);
    await page
      .getByRole('table', { name: 'Postings' })
      .locator('tbody tr', { hasText: `${s.prefix}ACCR-1` })
      .waitFor();
    await shot(page, 'postings');

    await page.goto(`${base}vendors?le=FS-EU`);
    await page.getByRole('table', { name: 'Vendors' }).locator('tbody tr[data-row-id]').first().waitFor();
    await shot(page, 'vendors');
    await page.close();

    const masked = await browser.newPage();
    await masked.goto(`${base}vendors?le=FS-EU`);
    await signInAsDeveloper(masked, viewer);
    await masked
      .getByRole('table', { name: 'Vendors' })
      .locator('tbody tr[data-row-id]')
      .first()
      .getByRole('link')
      .click();
    await masked.getByTestId('iban').waitFor();
    await shot(masked, 'vendor-as-viewer');
    await masked.close();
  } finally {
    await browser.close();
    await s.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`docs:screenshots: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
