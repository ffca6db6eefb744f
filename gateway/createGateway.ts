import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { Logger as HiveLogger, type LogWriter } from '@graphql-hive/logger';
import type { ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { Principal } from '../security/Principal';
import type { SecurityConfig } from '../security/SecurityConfig';
import { signInternalToken, TokenRefused, verifyUserToken } from '../security/tokens';
import { forwardedIdentity } from './plugins/forwardedIdentity';
import { useAuthentication } from './plugins/useAuthentication';
import { useQueryCost } from './plugins/useQueryCost';
import { useValidationErrorCode } from './plugins/useValidationErrorCode';
import { FORWARDED, useForwardedIdentity } from './plugins/useForwardedIdentity';
import type { ConsoleOptions } from './console/ConsoleOptions';
import { consoleHandler } from './console/serveConsole';
import type { FanOutStats } from './subscriptions/SubscriptionFanOut';
import { shareSubscriptions, type SubscriptionSharing } from './subscriptions/shareSubscriptions';

export interface GatewayOptions {
  /** The composed supergraph (gateway/compose). */
  readonly supergraphSdl: string;
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  readonly security: SecurityConfig;
  /** The operations console at `/console` (null: not served). */
  readonly console?: ConsoleOptions | null;
  /** Prometheus metrics (gateway/plugins/useGatewayMetrics.ts) into the process registry; off: no cost. */
  readonly metrics?: boolean;
  /** Shared executions of identical subscriptions (gateway/subscriptions/); default on, 1024 results queued. */
  readonly subscriptions?: SubscriptionSharing;
}

export interface RunningGateway {
  /** `http://host:port/graphql` (the same URL with ws:// serves graphql-ws). */
  readonly url: string;
  /** `http://host:port/console/`: the operations console, when served. */
  readonly consoleUrl: string | null;
  readonly runtime: GatewayRuntime;
  /** Shared subscription executions now, their subscribers, and the subscribers dropped for not reading. */
  subscriptionStats(): FanOutStats;
  stop(): Promise<void>;
}

const first = (v: string | string[] | undefined): string | null => (Array.isArray(v) ? v[0] : v) ?? null;
const param = (params: Readonly<Record<string, unknown>> | undefined, key: string): string | null => {
  const v = params?.[key] ?? params?.[key.toLowerCase()] ?? params?.[key === 'authorization' ? 'Authorization' : key];
  return typeof v === 'string' ? v : null;
};

/** What Hive's debug lines carry of a request or its answer: the data itself (IBANs, amounts, inputs), never logged. */
const PAYLOAD_ATTRS = new Set(['data', 'body', 'variables', 'result', 'errors', 'response', 'query']);

/**
 * Hive's log lines into pino, so the process has one log and one redaction (Hive's own pino writer is not
 * reachable under this project's module resolution). Payload attributes are replaced: a debug log shows that a
 * subgraph was called and how it answered, not what the company's books hold.
 */
const pinoWriter = (log: Logger): LogWriter => ({
  write: (level, attrs, msg) => {
    const safe = Object.fromEntries(
      Object.entries(attrs ?? {}).map(([k, v]) => [k, PAYLOAD_ATTRS.has(k) ? '[redacted]' : v]),
    );
    log[level](safe, msg ?? '');
  },
});

/**
 * The federated gateway: Hive Gateway's runtime (MIT) over a composed supergraph, behind one node http server.
 * `/graphql` serves GraphQL over HTTP and, on upgrade, graphql-ws; `/healthz` answers while the process runs and
 * `/readyz` once the supergraph is loaded; `/console` serves the operations console (gateway/console/). Subscriptions reach the subgraphs over graphql-ws; the fields other
 * subgraphs own are fetched over HTTP for each event.
 */
export async function createGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { logger, security } = options;
  const { limits } = security;
  // Hive's own lines go through the process's pino logger, so its redaction applies to them too.
  const hiveLog = new HiveLogger({
    level: logger.isLevelEnabled('debug') ? 'debug' : 'warn',
    writers: [pinoWriter(logger.child({ component: 'hive-gateway' }))],
  });
  // Loaded only when metrics are on: Hive's Prometheus plugin and its dependencies cost nothing otherwise.
  const metricsPlugins = options.metrics
    ? (await import('./plugins/useGatewayMetrics')).useGatewayMetrics(hiveLog)
    : [];
  const runtime = createGatewayRuntime({
    supergraph: options.supergraphSdl,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    readinessCheckEndpoint: '/readyz',
    landingPage: false,
    graphiql: false,
    logging: hiveLog,
    transportEntries: {
      '*.http': {
        options: {
          // executor-http merges identical in-flight subgraph requests by URL and body: the headers that carry
          // who is asking are added later (useForwardedIdentity's onFetch), so two principals' concurrent
          // identical fetches (the entity fetch of one event for two scopes, the same report asked by two people)
          // would get one answer — the first principal's rows and masking. Every request is its own.
          deduplicateInflightRequests: false,
          subscriptions: {
            kind: 'ws',
            options: {
              // Interpolated per operation from the context set by useForwardedIdentity / the ws handler below.
              connectionParams: {
                [FORWARDED.authorization]: '{context.finsync.authorization}',
                [FORWARDED.correlationId]: '{context.finsync.correlationId}',
              },
            },
          },
        },
      },
    },
    // Clients see the errors meant for them; anything unexpected is logged and masked.
    maskedErrors: true,
    // Introspection off in production mode.
    disableIntrospection: { disableIf: () => security.production },
    plugins: () => [
      useAuthentication(security, logger),
      useForwardedIdentity(),
      // Query limits for a gateway that faces many clients (GraphQL Armor); suggestions hidden in production.
      EnvelopArmorPlugin({
        maxDepth: { n: limits.maxDepth },
        // __typename counts too: Armor lets it through by default, and 1,000 of them are still 1,000 fields.
        maxAliases: { n: limits.maxAliases, allowList: [] },
        maxTokens: { n: limits.maxTokens },
        // The cost limit is page-aware (useQueryCost below); GraphQL Armor's own does not read `first`.
        costLimit: { enabled: false },
        maxDirectives: { n: 50 },
        blockFieldSuggestion: { enabled: security.production },
      }),
      useQueryCost(limits.maxCost),
      useValidationErrorCode(),
      ...metricsPlugins,
    ],
  });

  const serveConsole = options.console ? consoleHandler(options.console, security, logger) : null;
  const server: Server = createServer((req, res) => {
    // A body over the limit is refused before anything reads it. Its size must be declared (Content-Length):
    // a chunked upload of unknown length is refused too (411), so nothing streams past the limit.
    const refuse = (status: number, message: string, code: string) => {
      req.resume();
      res
        .writeHead(status, { 'content-type': 'application/json', connection: 'close' })
        .end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
    };
    if (req.method === 'POST' && req.headers['content-length'] === undefined) {
      return void refuse(411, 'A POST must declare its body size (Content-Length).', 'LENGTH_REQUIRED');
    }
    if (Number(req.headers['content-length'] ?? 0) > limits.maxBodyBytes) {
      return void refuse(413, `The request body is over ${limits.maxBodyBytes} bytes.`, 'PAYLOAD_TOO_LARGE');
    }
    if (serveConsole) {
      void serveConsole(req, res)
        .then((served) => (served ? undefined : runtime(req, res)))
        .catch((err: unknown) => {
          logger.error({ err }, 'console: request failed');
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
          res.end('The console could not answer this request.');
        });
      return;
    }
    void runtime(req, res);
  });
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: limits.maxBodyBytes });
  /** The principal and internal token of each graphql-ws connection, from its connection params. */
  const connections = new WeakMap<object, { principal: Principal; token: string; signedAt: number }>();
  const wsOptions = getGraphQLWSOptions(
    runtime,
    (ctx: { connectionParams?: Readonly<Record<string, unknown>>; extra: unknown }) => {
      const extra = ctx.extra as { request?: IncomingMessage; socket: { close(code: number, reason: string): void } };
      const req = extra.request;
      const auth = connections.get(ctx.extra as object)!;
      return {
        // A subscriber that does not read its results is cut off (1013: try again later), not waited for.
        finsyncDrop: () => extra.socket.close(1013, 'Too slow: subscription results were not read'),
        finsync: {
          ...forwardedIdentity(
            `Bearer ${auth.token}`,
            param(ctx.connectionParams, FORWARDED.correlationId) ?? first(req?.headers[FORWARDED.correlationId]),
          ),
          principal: auth.principal,
          signedAt: auth.signedAt,
        },
      };
    },
  );
  // Identical subscriptions of one security scope share one execution (gateway/subscriptions/).
  const shared = shareSubscriptions(
    wsOptions.subscribe as (args: ExecutionArgs) => unknown,
    await runtime.getSchema(),
    options.subscriptions ?? { enabled: true, bufferLimit: 1024 },
  );
  const ws = useServer(
    {
      ...wsOptions,
      execute: shared.handler as typeof wsOptions.execute,
      subscribe: shared.handler as typeof wsOptions.subscribe,
      // A connection without a valid token is closed: 4401 (not authenticated).
      onConnect: async (ctx) => {
        const extra = ctx.extra as { request?: IncomingMessage; socket: { close(code: number, reason: string): void } };
        try {
          const principal = await verifyUserToken(
            param(ctx.connectionParams, FORWARDED.authorization) ??
              first(extra.request?.headers[FORWARDED.authorization]),
            security,
          );
          connections.set(ctx.extra as object, {
            principal,
            token: await signInternalToken(principal, security),
            signedAt: Date.now(),
          });
          return true;
        } catch (err) {
          const why = err instanceof TokenRefused ? err.message : 'the token could not be verified';
          extra.socket.close(4401, `Unauthorized: ${why}`.slice(0, 120));
          return false;
        }
      },
    },
    wss,
  );
  await runtime.getSchema();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  let stopped: Promise<void> | null = null;
  const stopOnce = async () => {
    await ws.dispose();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await runtime.dispose();
  };
  const consoleUrl = options.console ? `http://${options.host}:${port}/console/` : null;
  logger.info({ url, consoleUrl }, 'gateway listening');
  return {
    url,
    consoleUrl,
    runtime,
    subscriptionStats: shared.stats,
    // Once: a second stop (a test that stopped it to cut its clients off, then its cleanup) does nothing.
    stop: () => (stopped ??= stopOnce()),
  };
}
