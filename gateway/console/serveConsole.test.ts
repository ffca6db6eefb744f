import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadSecurityConfig } from '../../security/SecurityConfig';
import { verifyUserToken } from '../../security/tokens';
import type { ConsoleOptions } from './ConsoleOptions';
import { consoleHandler } from './serveConsole';

const development = loadSecurityConfig({});
const production = loadSecurityConfig({
  FINSYNC_PRODUCTION: 'true',
  FINSYNC_JWKS_URL: 'https://idp.example/jwks',
  FINSYNC_INTERNAL_TOKEN_SECRET: 'x'.repeat(40),
});

describe('the console on the gateway', () => {
  let dir: string;
  const servers: Server[] = [];

  /** The handler on a loopback server (anything it does not serve answers 418, as the GraphQL runtime would answer). */
  async function serve(security = development, oidc: ConsoleOptions['oidc'] = null): Promise<string> {
    const handle = consoleHandler({ dir, oidc, developmentTokenSeconds: 60 }, security, pino({ level: 'silent' }));
    const server = createServer((req, res) => {
      void handle(req, res).then((served) => {
        if (!served) res.writeHead(418).end();
      });
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'finsync-console-dist-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>finsync console</title>');
    await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
  });

  afterAll(async () => {
    for (const s of servers) await new Promise((r) => s.close(r));
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the app for every page, hashed assets for good, with the security headers', async () => {
    const base = await serve();
    const page = await fetch(`${base}/console/exceptions?code=X`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('finsync console');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const asset = await fetch(`${base}/console/assets/index-abc123.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${base}/console/assets/missing.js`)).status).toBe(404);
    const bare = await fetch(`${base}/console?x=1`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([308, '/console/?x=1']);
    // Other paths are not the console's.
    expect((await fetch(`${base}/graphql`)).status).toBe(418);
  });

  it('never serves a file outside the bundle', async () => {
    const base = await serve();
    for (const path of ['/console/..%2F..%2Fetc%2Fpasswd', '/console/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await fetch(`${base}${path}`);
      expect(await res.text()).not.toContain('root:');
    }
  });

  it('signs development tokens for known roles outside production, and says how to sign in', async () => {
    const base = await serve();
    const config = (await (await fetch(`${base}/console/config.json`)).json()) as { signIn: string; roles: string[] };
    expect(config.signIn).toBe('development');
    expect(config.roles).toContain('accountant');
    const res = await fetch(`${base}/console/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'alice@finsync.test', roles: ['accountant'], legalEntities: ['FS-EU'] }),
    });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    await expect(verifyUserToken(`Bearer ${token}`, development)).resolves.toEqual({
      subject: 'alice@finsync.test',
      roles: ['accountant'],
      legalEntities: ['FS-EU'],
    });
    const bad = await fetch(`${base}/console/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: '<script>', roles: [], legalEntities: ['FS-EU'] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^subject: a user id.*; roles: at least one role/);
  });

  it('refuses development tokens in production mode, where sign-in is OpenID Connect', async () => {
    const oidc = { issuer: 'https://idp.example', clientId: 'finsync-console', scope: 'openid', resource: null };
    const base = await serve(production, oidc);
    const res = await fetch(`${base}/console/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'mallory@finsync.test', roles: ['admin'], legalEntities: ['FS-EU'] }),
    });
    expect(res.status).toBe(403);
    const config = (await (await fetch(`${base}/console/config.json`)).json()) as { signIn: string };
    expect(config.signIn).toBe('oidc');
    const page = await fetch(`${base}/console/`);
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self' https://idp.example");
  });
});
