import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, base64url } from 'jose';
import { loadSecurityConfig } from './SecurityConfig';
import { signDevelopmentToken, signInternalToken, verifyInternalToken, verifyUserToken } from './tokens';

const dev = loadSecurityConfig({});
const alice = { subject: 'alice@finsync.test', roles: ['accountant'], legalEntities: ['FS-EU'] };
const bearer = (t: string) => `Bearer ${t}`;

describe('user tokens (HS256, development)', () => {
  it('accepts a valid token and reads its principal', async () => {
    expect(await verifyUserToken(bearer(await signDevelopmentToken(alice, dev)), dev)).toEqual(alice);
  });

  it.each([
    ['no header', null, /bearer token is required/],
    ['not a JWT', 'Bearer abc', /not a valid JWT/],
  ])('refuses %s', async (_, header, why) => {
    await expect(verifyUserToken(header, dev)).rejects.toThrow(why);
  });

  it('refuses an expired token', async () => {
    const expired = await new SignJWT({ roles: ['viewer'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('bob')
      .setIssuer(dev.issuer)
      .setAudience(dev.audience)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign((dev.userTokens as { secret: Uint8Array }).secret);
    await expect(verifyUserToken(bearer(expired), dev)).rejects.toThrow('the token has expired');
  });

  it('refuses a wrong audience, a wrong issuer and a token without expiry', async () => {
    const signed = (aud: string, iss: string, exp = true) => {
      const j = new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('bob').setIssuer(iss).setAudience(aud);
      return (exp ? j.setExpirationTime('1h') : j).sign((dev.userTokens as { secret: Uint8Array }).secret);
    };
    await expect(verifyUserToken(bearer(await signed('other-api', dev.issuer)), dev)).rejects.toThrow(/aud/);
    await expect(verifyUserToken(bearer(await signed(dev.audience, 'someone-else')), dev)).rejects.toThrow(/iss/);
    await expect(verifyUserToken(bearer(await signed(dev.audience, dev.issuer, false)), dev)).rejects.toThrow(/exp/);
  });

  it('refuses alg "none" and a token signed with another key', async () => {
    const claims = { sub: 'mallory', iss: dev.issuer, aud: dev.audience, exp: Math.floor(Date.now() / 1000) + 3600 };
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(JSON.stringify(claims))}.`;
    await expect(verifyUserToken(bearer(none), dev)).rejects.toThrow();
    const other = await signDevelopmentToken(alice, loadSecurityConfig({ FINSYNC_JWT_SECRET: 'x'.repeat(40) }));
    await expect(verifyUserToken(bearer(other), dev)).rejects.toThrow('not signed by a key finsync trusts');
  });

  it('does not take a user token as an internal one, nor the reverse', async () => {
    const user = await signDevelopmentToken(alice, dev);
    await expect(verifyInternalToken(bearer(user), dev)).rejects.toThrow();
    const internal = await signInternalToken(alice, dev);
    expect(await verifyInternalToken(bearer(internal), dev)).toEqual(alice);
    await expect(verifyUserToken(bearer(internal), dev)).rejects.toThrow();
  });
});

describe('user tokens from a JWKS (RS256 and ES256, production)', () => {
  let server: Server;
  let url: string;
  const keys: Array<{ alg: 'RS256' | 'ES256'; kid: string; privateKey: CryptoKey | Uint8Array | object }> = [];

  beforeAll(async () => {
    const jwks = { keys: [] as object[] };
    for (const alg of ['RS256', 'ES256'] as const) {
      const { publicKey, privateKey } = await generateKeyPair(alg);
      const kid = `key-${alg}`;
      jwks.keys.push({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
      keys.push({ alg, kid, privateKey });
    }
    server = createServer((_, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('accepts RS256 and ES256 tokens signed by a published key, and refuses HS256 ones', async () => {
    const config = loadSecurityConfig({
      FINSYNC_PRODUCTION: 'true',
      FINSYNC_JWKS_URL: url,
      FINSYNC_JWT_ISSUER: 'https://idp.example',
      FINSYNC_JWT_AUDIENCE: 'finsync-api',
      FINSYNC_INTERNAL_TOKEN_SECRET: 'i'.repeat(40),
    });
    for (const k of keys) {
      const token = await new SignJWT({ roles: ['viewer'], legal_entities: ['FS-US'] })
        .setProtectedHeader({ alg: k.alg, kid: k.kid })
        .setSubject('carol')
        .setIssuer('https://idp.example')
        .setAudience('finsync-api')
        .setExpirationTime('5m')
        .sign(k.privateKey as CryptoKey);
      expect(await verifyUserToken(bearer(token), config)).toEqual({
        subject: 'carol',
        roles: ['viewer'],
        legalEntities: ['FS-US'],
      });
    }
    const hs = await signDevelopmentToken(alice, dev);
    await expect(verifyUserToken(bearer(hs), config)).rejects.toThrow();
  });
});

describe('the security configuration', () => {
  it('refuses production mode with the development secrets', () => {
    expect(() => loadSecurityConfig({ FINSYNC_PRODUCTION: 'true' })).toThrow(
      /FINSYNC_JWKS_URL: production needs[\s\S]*FINSYNC_INTERNAL_TOKEN_SECRET: production needs/,
    );
  });
});
