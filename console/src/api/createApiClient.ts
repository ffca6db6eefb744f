import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { cacheExchange, Client, fetchExchange, subscriptionExchange } from 'urql';

/** What the console hears about its connection to the gateway. */
export interface ConnectionEvents {
  /** The gateway refused the token (HTTP 401, graphql-ws close 4401): the session is over. */
  onUnauthenticated(): void;
  /** The live connection dropped. */
  onDisconnected(): void;
  /** It is back after a drop: what the page shows must be fetched again. */
  onReconnected(): void;
}

/** graphql-ws: the socket was closed because the token was refused (gateway/createGateway.ts). */
const UNAUTHORIZED = 4401;

/**
 * The console's GraphQL client: queries and mutations over HTTP, subscriptions over graphql-ws, both to the gateway
 * on this origin and both with the session's bearer token. The socket retries for as long as the page is open
 * (with graphql-ws's backoff); after a drop, `onReconnected` lets the views refetch.
 */
export function createApiClient(token: string, events: ConnectionEvents): { client: Client; ws: WsClient } {
  const authorization = `Bearer ${token}`;
  let dropped = false;
  let refused = false;
  const ws = createWsClient({
    url: `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/graphql`,
    connectionParams: { authorization },
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    // graphql-ws backs off exponentially without a ceiling; an operations screen should be back within seconds.
    retryWait: (retries) =>
      new Promise((r) => setTimeout(r, Math.min(500 * 2 ** retries, 5_000) + Math.random() * 500)),
    shouldRetry: () => !refused,
    on: {
      closed: (event) => {
        if ((event as CloseEvent).code === UNAUTHORIZED) {
          refused = true;
          events.onUnauthenticated();
          return;
        }
        if (!dropped) {
          dropped = true;
          events.onDisconnected();
        }
      },
      connected: () => {
        if (dropped) {
          dropped = false;
          events.onReconnected();
        }
      },
    },
  });
  const client = new Client({
    url: '/graphql',
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
    // Views ask for what they show now: a list after an action, a report after a change.
    requestPolicy: 'cache-and-network',
    fetchOptions: () => ({ headers: { authorization, accept: 'application/graphql-response+json' } }),
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (res.status === 401) events.onUnauthenticated();
      return res;
    },
  });
  return { client, ws };
}
