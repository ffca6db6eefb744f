/**
 * Benchmark baseline only: the same five subgraphs behind `@apollo/gateway` (Elastic License 2.0, a dev dependency
 * used by `npm run bench -- gateway` and nowhere else), composed by Apollo's own IntrospectAndCompose, on
 * FINSYNC_GATEWAY_PORT. Authenticates as finsync's gateway does (the user's token verified, an internal token signed
 * for the subgraphs) and forwards x-correlation-id. `/healthz` answers once the supergraph is composed.
 */
import { ApolloGateway, IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { loadGatewayConfig } from '../../gateway/config';
import { signInternalToken, verifyUserToken } from '../../security/tokens';

interface Ctx {
  readonly authorization: string | null;
  readonly correlationId: string | null;
}

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const service = await signInternalToken(
    { subject: 'apollo-gateway', roles: ['service'], legalEntities: [] },
    config.security,
  );
  const gateway = new ApolloGateway({
    supergraphSdl: new IntrospectAndCompose({
      subgraphs: config.subgraphs.map((s) => ({ name: s.name, url: s.url })),
      introspectionHeaders: { authorization: `Bearer ${service}` },
    }),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource<Ctx>({
        url,
        willSendRequest({ request, context }) {
          if (context.authorization) request.http?.headers.set('authorization', context.authorization);
          if (context.correlationId) request.http?.headers.set('x-correlation-id', context.correlationId);
        },
      }),
  });
  const server = new ApolloServer<Ctx>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: config.port, host: config.host },
    context: async ({ req }) => {
      const principal = await verifyUserToken(req.headers.authorization, config.security);
      return {
        authorization: `Bearer ${await signInternalToken(principal, config.security)}`,
        correlationId: (req.headers['x-correlation-id'] as string | undefined) ?? null,
      };
    },
  });
  process.stdout.write(`apollo gateway (benchmark baseline): ${url}\n`);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`apollo-gateway: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
