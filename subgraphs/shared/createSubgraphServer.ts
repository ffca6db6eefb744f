import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { GraphQLError, type DocumentNode } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { Pool } from 'pg';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { apolloHttpHandler } from './apolloHttpHandler';
import { countingDb, type Db, type RequestStats } from './Db';
import { FORWARDED_HEADERS, type RequestContext } from './RequestContext';

/** What a finished request reports (tests sum `sqlQueries` per correlation id across subgraphs). */
export interface RequestReport {
  readonly subgraph: string;
  readonly correlationId: string;
  readonly operationName: string | null;
  /** The Authorization header the subgraph received (in-process observers only; never logged). */
  readonly authorization: string | null;
  readonly sqlQueries: number;
}

export interface SubgraphServerOptions<L> {
  readonly name: string;
  readonly typeDefs: DocumentNode;
  readonly resolvers: GraphQLResolverMap<RequestContext<L>>;
  /** Creates the per-request DataLoaders over the request's counting `Db`. */
  readonly loaders: (db: Db) => L;
  readonly databaseUrl: string;
  readonly dbPoolSize?: number;
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  /** Extra readiness condition (e.g. the canonical events consumer has joined). */
  readonly ready?: () => boolean;
  /**
   * Called once per HTTP request after the response is sent, and once per graphql-ws operation when it starts
   * (operationName `(subscription)`, no statements yet).
   */
  readonly onRequestDone?: (report: RequestReport) => void;
  /** Closed on stop, after the servers (e.g. the events consumer). */
  readonly onStop?: () => Promise<void>;
}

export interface RunningSubgraph {
  readonly name: string;
  /** `http://host:port/graphql`; the same path serves graphql-ws. */
  readonly url: string;
  readonly pool: Pool;
  stop(): Promise<void>;
}

const header = (value: string | string[] | undefined): string | null =>
  (Array.isArray(value) ? value[0] : value) ?? null;

/**
 * One subgraph process: Apollo Server (Federation v2 schema) on `/graphql` for HTTP, graphql-ws on the same
 * path for subscriptions, `/healthz` (the process runs) and `/readyz` (the canonical store answers and the
 * extra condition holds). Every request gets its own context, loaders and SQL counter.
 */
export async function createSubgraphServer<L>(options: SubgraphServerOptions<L>): Promise<RunningSubgraph> {
  const { name, logger } = options;
  const pool = new Pool({ connectionString: options.databaseUrl, max: options.dbPoolSize ?? 10 });
  pool.on('error', (err) => logger.warn({ err }, 'idle database connection failed'));
  const schema = buildSubgraphSchema({
    typeDefs: options.typeDefs,
    resolvers: options.resolvers as GraphQLResolverMap<unknown>,
  });

  const contextFor = (authorization: string | null, correlationId: string | null): RequestContext<L> => {
    const stats: RequestStats = { sqlQueries: 0 };
    const db = countingDb(pool, stats);
    const id = correlationId ?? randomUUID();
    return {
      subgraph: name,
      authorization,
      correlationId: id,
      db,
      loaders: options.loaders(db),
      stats,
      logger: logger.child({ correlationId: id }),
    };
  };

  const apollo = new ApolloServer<RequestContext<L>>({
    schema,
    includeStacktraceInErrorResponses: false,
    // A client sees the errors meant for it (GraphQLErrors with a code: bad input, …); anything else is a fault
    // of ours: logged with its detail, masked in the response.
    formatError: (formatted, error) => {
      const original = unwrapResolverError(error);
      if (original instanceof GraphQLError || formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
      logger.error({ err: original, path: formatted.path }, 'resolver failed');
      return { ...formatted, message: 'Internal error; it has been logged.' };
    },
    plugins: [
      // No Apollo usage reporting here: traces would only grow every response.
      ApolloServerPluginInlineTraceDisabled(),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ contextValue, response, operationName }) {
              response.http.headers.set('x-finsync-sql-queries', String(contextValue.stats.sqlQueries));
              options.onRequestDone?.({
                subgraph: name,
                correlationId: contextValue.correlationId,
                operationName: operationName ?? null,
                authorization: contextValue.authorization,
                sqlQueries: contextValue.stats.sqlQueries,
              });
            },
          };
        },
      },
    ],
  });
  await apollo.start();
  const handleGraphql = apolloHttpHandler(apollo, async (req: IncomingMessage) =>
    contextFor(
      header(req.headers[FORWARDED_HEADERS.authorization]),
      header(req.headers[FORWARDED_HEADERS.correlationId]),
    ),
  );

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/healthz') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    if (path === '/readyz') {
      pool.query('select 1').then(
        () => {
          const ready = options.ready?.() ?? true;
          res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'starting\n');
        },
        () => res.writeHead(503, { 'content-type': 'text/plain' }).end('canonical store unreachable\n'),
      );
      return;
    }
    if (path !== '/graphql') return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    handleGraphql(req, res).catch((err: unknown) => {
      logger.error({ err }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    });
  });

  // Subscriptions: the gateway opens graphql-ws connections to this path; who is asking travels in the
  // connection params (and, as a fallback, in the upgrade request's headers).
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const ws = useServer<Record<string, unknown>, { request: IncomingMessage }>(
    {
      schema,
      context: (ctx: { connectionParams?: Readonly<Record<string, unknown>>; extra: { request: IncomingMessage } }) => {
        const params = ctx.connectionParams ?? {};
        const fromParams = (key: string) => (typeof params[key] === 'string' ? (params[key] as string) : null);
        const req = ctx.extra.request;
        const context = contextFor(
          fromParams(FORWARDED_HEADERS.authorization) ?? header(req.headers[FORWARDED_HEADERS.authorization]),
          fromParams(FORWARDED_HEADERS.correlationId) ?? header(req.headers[FORWARDED_HEADERS.correlationId]),
        );
        options.onRequestDone?.({
          subgraph: name,
          correlationId: context.correlationId,
          operationName: '(subscription)',
          authorization: context.authorization,
          sqlQueries: 0,
        });
        return context as unknown as Record<string, unknown>;
      },
    },
    wss,
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host}:${port}/graphql`;
  logger.info({ url }, `${name} subgraph listening`);
  return {
    name,
    url,
    pool,
    stop: async () => {
      await ws.dispose();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
      await options.onStop?.();
      await pool.end();
    },
  };
}
