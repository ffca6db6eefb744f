import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { forwardedIdentity, type ForwardedIdentity } from './forwardedIdentity';

/** The header names every subgraph reads (subgraphs/shared/RequestContext.ts). */
export const FORWARDED = { authorization: 'authorization', correlationId: 'x-correlation-id' } as const;

type IdentityContext = { finsync?: ForwardedIdentity; request?: Request };

/**
 * Puts the caller's identity (Authorization, correlation id) into the operation's context — from the HTTP request,
 * or, for graphql-ws, from what the connection handler already set — and adds it as headers to every HTTP call
 * the gateway makes to a subgraph: the query plan's fetches and the entity fetches that complete each
 * subscription event. (Subscriptions themselves go to subgraphs over graphql-ws with the same values as
 * connection params, see createGateway.ts.)
 */
export function useForwardedIdentity(): GatewayPlugin {
  return {
    onContextBuilding({ context, extendContext }) {
      const c = context as IdentityContext;
      if (c.finsync) return;
      const headers = c.request?.headers;
      extendContext({
        finsync: forwardedIdentity(headers?.get(FORWARDED.authorization), headers?.get(FORWARDED.correlationId)),
      } as Record<string, unknown>);
    },
    onFetch({ context, options, setOptions }) {
      const identity = (context as IdentityContext | undefined)?.finsync;
      if (!identity) return;
      const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
      headers[FORWARDED.correlationId] = identity.correlationId;
      if (identity.authorization) headers[FORWARDED.authorization] = identity.authorization;
      setOptions({ ...options, headers });
    },
  } as GatewayPlugin;
}
