import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (stack/install.sh installs it): browsers cannot be downloaded here, so the library drives it. */
export const CHROMIUM = process.env.FINSYNC_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The flags a headless Chromium needs on these machines: no sandbox (root), no GPU, and none of its own network
 * traffic (background updates, sync, QUIC), which the closed network would refuse many times over.
 */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Where screenshots go: under .run/ (the runtime dir), never into the repository. */
export const SCREENSHOT_DIR = resolve(
  process.env.FINSYNC_RUN_DIR ?? join(__dirname, '..', '..', '.run'),
  'screenshots',
);

export interface ConsoleBrowser {
  readonly context: BrowserContext;
  /** A new tab at 1280×800: its own sessionStorage, so its own signed-in person. */
  newPage(): Promise<Page>;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile (a new user-data-dir each time). */
export async function launchConsoleBrowser(): Promise<ConsoleBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'finsync-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    timezoneId: 'UTC',
    locale: 'en-GB',
  });
  return {
    context,
    newPage: () => context.newPage(),
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** A person signing in through the console's development sign-in (the form, as they would fill it). */
export async function signInAsDeveloper(
  page: Page,
  who: { readonly subject: string; readonly roles: readonly string[]; readonly legalEntities: readonly string[] },
  sessionLength?: string,
): Promise<void> {
  await page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
  await page.getByLabel('User id').fill(who.subject);
  for (const box of await page.getByRole('group', { name: 'Roles' }).getByRole('checkbox').all()) {
    const name = (await box.evaluate((el) => el.parentElement?.textContent ?? '')).trim();
    await box.setChecked(who.roles.includes(name));
  }
  for (const box of await page.getByRole('group', { name: 'Legal entities' }).getByRole('checkbox').all()) {
    const id = (await box.evaluate((el) => el.parentElement?.textContent ?? '')).trim().split(' ')[0]!;
    await box.setChecked(who.legalEntities.includes(id));
  }
  if (sessionLength) await page.getByLabel('Session length').selectOption({ label: sessionLength });
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: who.subject }).waitFor();
}

/** The texts of one column of a table on the page, in the order shown. */
export async function columnTexts(page: Page, table: string, column: string): Promise<string[]> {
  return page.getByRole('table', { name: table }).locator(`tbody td[data-col="${column}"]`).allInnerTexts();
}
