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
import type { Principal } from '../../security/Principal';
import type { SecurityConfig } from '../../security/SecurityConfig';
import { TokenRefused, verifyInternalToken } from '../../security/tokens';
import { apolloHttpHandler } from './apolloHttpHandler';
import { auditAccess } from './auditAccess';
import type { Db, RequestStats } from './Db';
import { FORWARDED_HEADERS, type RequestContext } from './RequestContext';
import { scopedDb, scopedDbPerStatement, type ScopedDb } from './scopedDb';
import { secureResolvers } from './secureResolvers';

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
  /** Token verification (the gateway's internal tokens) and the statement timeout. */
  readonly security: SecurityConfig;
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
    // Permissions, legal-entity arguments, masking and the audit of denials and mutations (security/).
    resolvers: secureResolvers(options.resolvers) as GraphQLResolverMap<unknown>,
  });
  const audit = auditAccess(pool, name, logger);
  const statementTimeoutMs = options.security.limits.statementTimeoutMs;
  /** The scoped connection of each HTTP request, given back when its response is done. */
  const requestDbs = new WeakMap<IncomingMessage, ScopedDb>();
  const principals = new WeakMap<IncomingMessage, Principal>();

  const contextFor = (
    principal: Principal,
    authorization: string | null,
    correlationId: string | null,
    db: (stats: RequestStats) => Db,
  ): RequestContext<L> => {
    const stats: RequestStats = { sqlQueries: 0 };
    const requestDb = db(stats);
    const id = correlationId ?? randomUUID();
    return {
      subgraph: name,
      authorization,
      principal,
      audit,
      correlationId: id,
      db: requestDb,
      loaders: options.loaders(requestDb),
      stats,
      logger: logger.child({ correlationId: id }),
    };
  };
  /** The principal of a call, from the gateway's internal token; null (and why) when there is none. */
  const verify = async (authorization: string | null): Promise<Principal | { refused: string }> => {
    try {
      return await verifyInternalToken(authorization, options.security);
    } catch (err) {
      return { refused: err instanceof TokenRefused ? err.message : 'the token could not be verified' };
    }
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
      principals.get(req)!,
      header(req.headers[FORWARDED_HEADERS.authorization]),
      header(req.headers[FORWARDED_HEADERS.correlationId]),
      (stats) => {
        const db = scopedDb(pool, principals.get(req)!, stats, statementTimeoutMs);
        requestDbs.set(req, db);
        return db;
      },
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
    // The subgraphs trust nobody: only calls carrying the gateway's internal token are served.
    void verify(header(req.headers[FORWARDED_HEADERS.authorization])).then((who) => {
      if ('refused' in who) {
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer' });
        res.end(JSON.stringify({ errors: [{ message: who.refused, extensions: { code: 'UNAUTHENTICATED' } }] }));
        return;
      }
      principals.set(req, who);
      res.once('close', () => void requestDbs.get(req)?.release());
      handleGraphql(req, res).catch((err: unknown) => {
        logger.error({ err }, 'request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error\n');
      });
    });
  });

  // Subscriptions: the gateway opens graphql-ws connections to this path; who is asking travels in the
  // connection params (and, as a fallback, in the upgrade request's headers).
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const connectionAuthorization = (ctx: {
    connectionParams?: Readonly<Record<string, unknown>>;
    extra: { request: IncomingMessage };
  }) => {
    const v = ctx.connectionParams?.[FORWARDED_HEADERS.authorization];
    return typeof v === 'string' ? v : header(ctx.extra.request.headers[FORWARDED_HEADERS.authorization]);
  };
  const connectionPrincipals = new WeakMap<object, Principal>();
  const ws = useServer<
    Record<string, unknown>,
    { request: IncomingMessage; socket: { close(code: number, reason: string): void } }
  >(
    {
      schema,
      onConnect: async (ctx) => {
        const who = await verify(connectionAuthorization(ctx));
        if ('refused' in who) {
          ctx.extra.socket.close(4401, `Unauthorized: ${who.refused}`.slice(0, 120));
          return false;
        }
        connectionPrincipals.set(ctx.extra, who);
        return true;
      },
      context: (ctx: { connectionParams?: Readonly<Record<string, unknown>>; extra: { request: IncomingMessage } }) => {
        const params = ctx.connectionParams ?? {};
        const fromParams = (key: string) => (typeof params[key] === 'string' ? (params[key] as string) : null);
        const req = ctx.extra.request;
        const principal = connectionPrincipals.get(ctx.extra)!;
        const context = contextFor(
          principal,
          connectionAuthorization(ctx),
          fromParams(FORWARDED_HEADERS.correlationId) ?? header(req.headers[FORWARDED_HEADERS.correlationId]),
          (stats) => scopedDbPerStatement(pool, principal, stats, statementTimeoutMs),
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
