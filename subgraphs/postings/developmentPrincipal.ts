import { GraphQLError } from 'graphql';
import { jwtVerify } from 'jose';
import type { Principal } from '../../erp/posting/Principal';

/**
 * The principal of a request, from its bearer token — a signed development token (HS256) until the security
 * issue's verification (gateway + every subgraph, production keys) lands. Posting mutations never read a preparer
 * or approver from their input: only from here.
 */
export interface TokenSettings {
  /** Env `FINSYNC_JWT_SECRET`; the development default is for local use only. */
  readonly secret: Uint8Array;
  /** Env `FINSYNC_JWT_ISSUER`; default `finsync-dev`. */
  readonly issuer: string;
  /** Env `FINSYNC_JWT_AUDIENCE`; default `finsync`. */
  readonly audience: string;
}

export const DEVELOPMENT_SECRET = 'finsync-development-secret-do-not-use-in-production';

export function tokenSettings(env: NodeJS.ProcessEnv = process.env): TokenSettings {
  return {
    secret: new TextEncoder().encode(env.FINSYNC_JWT_SECRET ?? DEVELOPMENT_SECRET),
    issuer: env.FINSYNC_JWT_ISSUER ?? 'finsync-dev',
    audience: env.FINSYNC_JWT_AUDIENCE ?? 'finsync',
  };
}

/** Verifies the `Authorization: Bearer …` header; throws UNAUTHENTICATED when it is missing or not valid. */
export async function requirePrincipal(authorization: string | null, settings: TokenSettings): Promise<Principal> {
  const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw unauthenticated('a bearer token is required to post');
  try {
    const { payload } = await jwtVerify(token, settings.secret, {
      issuer: settings.issuer,
      audience: settings.audience,
      algorithms: ['HS256'],
    });
    const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
    const entities = Array.isArray(payload.legal_entities)
      ? payload.legal_entities.filter((e): e is string => typeof e === 'string')
      : [];
    if (!payload.sub) throw new Error('the token names no subject');
    return { subject: payload.sub, roles, legalEntities: entities };
  } catch (err) {
    throw unauthenticated(`the bearer token is not valid (${(err as Error).message})`);
  }
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}
