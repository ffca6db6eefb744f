import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Principal } from './Principal';
import type { SecurityConfig } from './SecurityConfig';

/** Why a token was refused, in words for the client (and the log): never the token itself. */
export class TokenRefused extends Error {
  readonly code = 'UNAUTHENTICATED';
}

/** The issuer and audience of the gateway's internal tokens: only the subgraphs accept them. */
export const INTERNAL_ISSUER = 'finsync-gateway';
export const INTERNAL_AUDIENCE = 'finsync-subgraphs';
const INTERNAL_LIFETIME_S = 120;

const jwksCache = new Map<string, JWTVerifyGetKey>();

/**
 * Verifies a user's bearer token (the `Authorization` header) and returns its principal: signature (HS256 with the
 * secret, or RS256/ES256 from the JWKS — never `none`), issuer, audience, expiry (required), subject. Claims
 * `roles` and `legal_entities` are lists of strings.
 */
export async function verifyUserToken(
  authorization: string | null | undefined,
  config: SecurityConfig,
): Promise<Principal> {
  const token = bearer(authorization);
  const tokens = config.userTokens;
  const key =
    tokens.kind === 'secret'
      ? tokens.secret
      : (jwksCache.get(tokens.url) ??
        jwksCache.set(tokens.url, createRemoteJWKSet(new URL(tokens.url))).get(tokens.url)!);
  const algorithms = tokens.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256'];
  return principalOf(await verify(token, key, { issuer: config.issuer, audience: config.audience, algorithms }));
}

/** Verifies a token the gateway signed for a subgraph. */
export async function verifyInternalToken(
  authorization: string | null | undefined,
  config: SecurityConfig,
): Promise<Principal> {
  const token = bearer(authorization);
  return principalOf(
    await verify(token, config.internalSecret, {
      issuer: INTERNAL_ISSUER,
      audience: INTERNAL_AUDIENCE,
      algorithms: ['HS256'],
      maxTokenAge: `${INTERNAL_LIFETIME_S + 60}s`,
    }),
  );
}

/** The short-lived token the gateway sends the subgraphs on behalf of a verified principal. */
export function signInternalToken(principal: Principal, config: SecurityConfig): Promise<string> {
  return new SignJWT({ roles: [...principal.roles], legal_entities: [...principal.legalEntities] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.subject)
    .setIssuer(INTERNAL_ISSUER)
    .setAudience(INTERNAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${INTERNAL_LIFETIME_S}s`)
    .sign(config.internalSecret);
}

/** A development user token (HS256 with the configured secret): for tests and `npm run token`. */
export function signDevelopmentToken(
  principal: Principal,
  config: SecurityConfig,
  expiresIn: string | number = '8h',
): Promise<string> {
  if (config.userTokens.kind !== 'secret') throw new Error('development tokens need FINSYNC_JWT_SECRET (no JWKS URL)');
  return new SignJWT({ roles: [...principal.roles], legal_entities: [...principal.legalEntities] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.subject)
    .setIssuer(config.issuer)
    .setAudience(config.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(config.userTokens.secret);
}

function bearer(authorization: string | null | undefined): string {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) throw new TokenRefused('a bearer token is required (Authorization: Bearer <token>)');
  return token;
}

async function verify(
  token: string,
  key: Uint8Array | JWTVerifyGetKey,
  options: { issuer: string; audience: string; algorithms: string[]; maxTokenAge?: string },
): Promise<JWTPayload> {
  try {
    const { payload } = await (typeof key === 'function'
      ? jwtVerify(token, key, { ...options, requiredClaims: ['exp', 'sub'] })
      : jwtVerify(token, key, { ...options, requiredClaims: ['exp', 'sub'] }));
    return payload;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const why =
      e.code === 'ERR_JWT_EXPIRED'
        ? 'the token has expired'
        : e.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED'
          ? `the token's ${e.message?.match(/"(\w+)"/)?.[1] ?? 'claims'} claim is not accepted`
          : e.code === 'ERR_JOSE_ALG_NOT_ALLOWED' || e.code === 'ERR_JOSE_NOT_SUPPORTED'
            ? "the token's algorithm is not accepted"
            : e.code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' || e.code === 'ERR_JWKS_NO_MATCHING_KEY'
              ? 'the token is not signed by a key finsync trusts'
              : 'the token is not a valid JWT';
    throw new TokenRefused(why);
  }
}

function principalOf(payload: JWTPayload): Principal {
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { subject: payload.sub!, roles: strings(payload.roles), legalEntities: strings(payload.legal_entities) };
}
