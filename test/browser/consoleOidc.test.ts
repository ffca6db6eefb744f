/**
 * The console's production sign-in: OpenID Connect, authorization code with PKCE, against a local OpenID provider
 * (`oidc-provider`, its own process) — in a real headless Chromium, through a real gateway in production mode that
 * verifies the provider's access tokens through its JWKS. The development sign-in is refused there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Kafka, logLevel } from 'kafkajs';
import { migrateCanonicalSchema } from '../../canonical-schema/migrate';
import { launchConsoleBrowser, SCREENSHOT_DIR, type ConsoleBrowser } from '../support/consoleBrowser';
import { startFederation, type FederationStack } from '../support/federationStack';
import { scratchDatabase, type ScratchDatabase } from '../support/scratchDatabase';
import { stackEnv } from '../support/stackEnv';

const BUNDLE = join(__dirname, '..', '..', 'console', 'dist', 'index.html');
const AUDIENCE = 'urn:finsync:api';

/** A port nobody listens on right now (the provider needs its issuer URL before the gateway can be configured). */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/** Starts the provider process and resolves once it says it listens. */
function startProvider(port: number, redirectUri: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [join(__dirname, '..', 'support', 'oidcProvider.mjs'), String(port), redirectUri, AUDIENCE, 'analyst', 'FS-EU'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (line.startsWith('ready ')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the OpenID provider exited with ${code}`)));
  });
}

describe('console sign-in with OpenID Connect (authorization code + PKCE) in production mode', () => {
  let db: ScratchDatabase;
  let fed: FederationStack;
  let provider: ChildProcess | null = null;
  let browser: ConsoleBrowser;
  const topic = `finsync.test.console-oidc.events.${Date.now()}`;

  beforeAll(async () => {
    if (!existsSync(BUNDLE)) throw new Error(`the console is not built (${BUNDLE}): npm run console:build`);
    db = await scratchDatabase('console_oidc');
    await migrateCanonicalSchema(db.url);
    const admin = new Kafka({ brokers: [...stackEnv.kafkaBrokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    await admin.disconnect();
    const port = await freePort();
    const issuer = `http://127.0.0.1:${port}`;
    fed = await startFederation({
      databaseUrl: db.url,
      eventsTopic: topic,
      env: {
        FINSYNC_PRODUCTION: 'true',
        FINSYNC_INTERNAL_TOKEN_SECRET: randomBytes(32).toString('hex'),
        FINSYNC_JWKS_URL: `${issuer}/jwks`,
        FINSYNC_JWT_ISSUER: issuer,
        FINSYNC_JWT_AUDIENCE: AUDIENCE,
        FINSYNC_OIDC_ISSUER: issuer,
        FINSYNC_OIDC_CLIENT_ID: 'finsync-console',
        FINSYNC_OIDC_SCOPE: 'openid finsync',
        FINSYNC_OIDC_RESOURCE: AUDIENCE,
      },
    });
    provider = await startProvider(port, fed.gateway.consoleUrl!);
    browser = await launchConsoleBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    provider?.kill('SIGTERM');
    await fed?.stop();
    await db?.drop();
    const admin = new Kafka({ brokers: [...stackEnv.kafkaBrokers], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('refuses a development token in production mode', async () => {
    const res = await fetch(new URL('dev-token', fed.gateway.consoleUrl!), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'mallory@finsync.test', roles: ['admin'], legalEntities: ['FS-EU'] }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toContain('Development sign-in is off');
  });

  it('signs a person in at the identity provider and back into the page they asked for, with the roles the provider gave', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${fed.gateway.consoleUrl!}vendors?name=Acme`);
      await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
      // The provider's own login and consent pages.
      await page.locator('input[name="login"]').fill('olivia@finsync.test');
      await page.locator('input[name="password"]').fill('any password');
      await page.getByRole('button', { name: 'Sign-in' }).click();
      await page.getByRole('button', { name: 'Continue' }).click();
      // Back in the console, signed in with the provider's token (verified by the gateway through the JWKS).
      await page.getByTestId('signed-in-as').filter({ hasText: 'olivia@finsync.test (analyst)' }).waitFor();
      await page.getByRole('heading', { name: 'Vendors' }).waitFor();
      await expect(page.getByLabel('Name').inputValue()).resolves.toBe('Acme');
      const nav = await page.getByRole('navigation', { name: 'Views' }).getByRole('link').allInnerTexts();
      expect(nav).toEqual(['Overview', 'Exceptions', 'Reconciliation', 'Postings', 'Vendors', 'Record journey']);
      // The authorization code is not left in the address bar.
      expect(new URL(page.url()).searchParams.has('code')).toBe(false);
      await page.getByText('0 vendors').waitFor();
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'console-oidc-signed-in.png') });
    } catch (err) {
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'console-FAILED-oidc.png') }).catch(() => undefined);
      throw err;
    } finally {
      await page.close();
    }
  });
});
