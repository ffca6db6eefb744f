import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { forwardedIdentity } from './plugins/forwardedIdentity';
import { FORWARDED, useForwardedIdentity } from './plugins/useForwardedIdentity';

export interface GatewayOptions {
  /** The composed supergraph (gateway/compose). */
  readonly supergraphSdl: string;
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
}

export interface RunningGateway {
  /** `http://host:port/graphql` (the same URL with ws:// serves graphql-ws). */
  readonly url: string;
  readonly runtime: GatewayRuntime;
  stop(): Promise<void>;
}

const first = (v: string | string[] | undefined): string | null => (Array.isArray(v) ? v[0] : v) ?? null;
const param = (params: Readonly<Record<string, unknown>> | undefined, key: string): string | null => {
  const v = params?.[key] ?? params?.[key.toLowerCase()] ?? params?.[key === 'authorization' ? 'Authorization' : key];
  return typeof v === 'string' ? v : null;
};

/**
 * The federated gateway: Hive Gateway's runtime (MIT) over a composed supergraph, behind one node http server.
 * `/graphql` serves GraphQL over HTTP and, on upgrade, graphql-ws; `/healthz` answers while the process runs and
 * `/readyz` once the supergraph is loaded. Subscriptions reach the subgraphs over graphql-ws; the fields other
 * subgraphs own are fetched over HTTP for each event.
 */
export async function createGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { logger } = options;
  const runtime = createGatewayRuntime({
    supergraph: options.supergraphSdl,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    readinessCheckEndpoint: '/readyz',
    landingPage: false,
    graphiql: false,
    logging: logger.isLevelEnabled('debug') ? 'debug' : 'warn',
    transportEntries: {
      '*.http': {
        options: {
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
    plugins: () => [useForwardedIdentity()],
  });

  const server: Server = createServer(runtime);
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const ws = useServer(
    getGraphQLWSOptions(runtime, (ctx: { connectionParams?: Readonly<Record<string, unknown>>; extra: unknown }) => {
      const req = (ctx.extra as { request?: IncomingMessage }).request;
      return {
        finsync: forwardedIdentity(
          param(ctx.connectionParams, FORWARDED.authorization) ?? first(req?.headers[FORWARDED.authorization]),
          param(ctx.connectionParams, FORWARDED.correlationId) ?? first(req?.headers[FORWARDED.correlationId]),
        ),
      };
    }),
    wss,
  );
  await runtime.getSchema();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  logger.info({ url }, 'gateway listening');
  return {
    url,
    runtime,
    stop: async () => {
      await ws.dispose();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.dispose();
    },
  };
}
