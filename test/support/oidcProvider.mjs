// A local OpenID provider for the console's sign-in test: `oidc-provider` (the certified Node implementation) on
// 127.0.0.1:<port>, with its development login and consent pages (any login name), one public client (the console:
// authorization code with PKCE, no secret) and a resource server (finsync's API) whose access tokens are JWTs signed
// with the provider's own RS256 key and carrying finsync's claims (roles, legal_entities). It runs as its own
// process, like a real identity provider; it prints `ready <issuer>` once it listens.
//
//   node test/support/oidcProvider.mjs <port> <redirect uri> <audience> <roles> <legal entities>
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const [port, redirectUri, audience, roles, entities] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'finsync-test-oidc', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'finsync-console',
      token_endpoint_auth_method: 'none',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [jwk] },
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, name: id }) }),
  scopes: ['openid', 'profile', 'finsync'],
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'finsync',
        audience,
        accessTokenFormat: 'jwt',
        accessTokenTTL: 600,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: () => ({ roles: roles.split(','), legal_entities: entities.split(',') }),
  pkce: { required: () => true },
});
provider.proxy = false;
const server = provider.listen(Number(port), '127.0.0.1', () => process.stdout.write(`ready ${issuer}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
