/**
 * `npm run token -- --sub alice@example.com --roles accountant --entities FS-EU[,FS-US] [--expires 8h]`: prints a
 * development bearer token (HS256, signed with FINSYNC_JWT_SECRET or the development default) for the gateway:
 * `curl -H "authorization: Bearer $(npm run -s token -- …)" http://127.0.0.1:4000/graphql …`. Production mode
 * takes tokens from the identity provider (FINSYNC_JWKS_URL) and this refuses to sign.
 */
import { parseArgs } from 'node:util';
import { ROLES } from '../security/roles';
import { loadSecurityConfig } from '../security/SecurityConfig';
import { signDevelopmentToken } from '../security/tokens';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      roles: { type: 'string', default: 'viewer' },
      entities: { type: 'string', default: 'FS-EU' },
      expires: { type: 'string', default: '8h' },
    },
  });
  const config = loadSecurityConfig();
  if (config.production) throw new Error('production mode: tokens come from the identity provider, not from here');
  if (!values.sub) throw new Error('--sub is required (who the token is for)');
  const roles = values
    .roles!.split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = roles.filter((r) => !ROLES.includes(r));
  if (unknown.length) throw new Error(`unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  const legalEntities = values
    .entities!.split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  process.stdout.write(
    `${await signDevelopmentToken({ subject: values.sub, roles, legalEntities }, config, values.expires)}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`token: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
