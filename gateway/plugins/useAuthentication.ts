import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import type { Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Principal } from '../../security/Principal';
import type { SecurityConfig } from '../../security/SecurityConfig';
import { signInternalToken, TokenRefused, verifyUserToken } from '../../security/tokens';
import { forwardedIdentity, type ForwardedIdentity } from './forwardedIdentity';
import { FORWARDED } from './useForwardedIdentity';

/** The identity of an operation once authenticated: the principal, and the internal token sent to subgraphs. */
export interface AuthenticatedIdentity extends ForwardedIdentity {
  readonly principal: Principal;
  /** When `authorization` (the internal token) was signed, ms. */
  readonly signedAt: number;
}

/** An internal token older than this is signed again before a subgraph call (they live 120 s). */
const REFRESH_AFTER_MS = 60_000;

type Ctx = { finsync?: AuthenticatedIdentity; request?: Request };

const json = (status: number, message: string, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });

/**
 * Authentication at the gateway: every GraphQL request over HTTP must carry a user token that verifies
 * (security/tokens.ts), else HTTP 401; each principal has a rate limit (HTTP 429 past it). The operation's context
 * holds the principal, and every subgraph call carries a short-lived internal token the gateway signs for it (the
 * subgraphs accept nothing else). Health endpoints are not GraphQL requests and stay open. graphql-ws
 * connections are authenticated when they open (createGateway.ts).
 */
export function useAuthentication(config: SecurityConfig, logger: Logger): GatewayPlugin {
  const principals = new WeakMap<Request, Principal>();
  const limiter = new RateLimiterMemory({ points: config.limits.requestsPerMinute, duration: 60 });
  return {
    async onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/graphql' || request.method === 'OPTIONS') return;
      let principal: Principal;
      try {
        principal = await verifyUserToken(request.headers.get(FORWARDED.authorization), config);
      } catch (err) {
        const why = err instanceof TokenRefused ? err.message : 'the token could not be verified';
        logger.info({ reason: why }, 'request refused: not authenticated');
        endResponse(json(401, `Not authenticated: ${why}.`, 'UNAUTHENTICATED', { 'www-authenticate': 'Bearer' }));
        return;
      }
      try {
        await limiter.consume(principal.subject);
      } catch (res) {
        const retry = Math.ceil(((res as { msBeforeNext?: number }).msBeforeNext ?? 1000) / 1000);
        endResponse(
          json(429, `Too many requests from ${principal.subject}: try again in ${retry} s.`, 'RATE_LIMITED', {
            'retry-after': String(retry),
          }),
        );
        return;
      }
      principals.set(request, principal);
    },
    async onContextBuilding({ context, extendContext }) {
      const c = context as Ctx;
      if (c.finsync?.principal) return;
      const principal = c.request ? principals.get(c.request) : undefined;
      if (!principal) return;
      const base = forwardedIdentity(null, c.request?.headers.get(FORWARDED.correlationId));
      extendContext({
        finsync: {
          ...base,
          principal,
          authorization: `Bearer ${await signInternalToken(principal, config)}`,
          signedAt: Date.now(),
        },
      } as Record<string, unknown>);
    },
    async onFetch({ context }) {
      const identity = (context as Ctx | undefined)?.finsync;
      if (!identity?.principal || Date.now() - identity.signedAt < REFRESH_AFTER_MS) return;
      // A long subscription's entity fetches: the principal's token is signed again before it runs out.
      Object.assign(identity, {
        authorization: `Bearer ${await signInternalToken(identity.principal, config)}`,
        signedAt: Date.now(),
      });
    },
  } as GatewayPlugin;
}
