import { join } from 'node:path';
import { z } from 'zod';
import type { ConsoleOptions } from './console/ConsoleOptions';
import type { SubscriptionSharing } from './subscriptions/shareSubscriptions';
import { loadSecurityConfig, type SecurityConfig } from '../security/SecurityConfig';
import { SUBGRAPH_PORTS, type SubgraphName } from '../subgraphs/shared/SubgraphConfig';

/** The gateway process's configuration, parsed once from the environment; all problems reported together. */
export interface GatewayConfig {
  /** Interface to listen on. Env `FINSYNC_GATEWAY_HOST`; default `127.0.0.1`. */
  readonly host: string;
  /** Port of `/graphql` (HTTP and graphql-ws), `/healthz`, `/readyz`. Env `FINSYNC_GATEWAY_PORT`; default 4000. */
  readonly port: number;
  /**
   * Each subgraph's GraphQL URL. Env `FINSYNC_<NAME>_URL` (e.g. `FINSYNC_INVOICES_URL`); default
   * `http://127.0.0.1:<the subgraph's default port>/graphql` (vendors 4101 … postings 4106).
   */
  readonly subgraphs: ReadonlyArray<{ readonly name: SubgraphName; readonly url: string }>;
  /** How long to wait at start for every subgraph to answer. Env `FINSYNC_GATEWAY_STARTUP_TIMEOUT_MS`; default 60000. */
  readonly startupTimeoutMs: number;
  /** pino level of the gateway's own lines. Env `FINSYNC_LOG_LEVEL`; default `info`. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Tokens, production mode and query limits (security/SecurityConfig.ts). */
  readonly security: SecurityConfig;
  /** The operations console at `/console`: its bundle and how people sign in (gateway/console/ConsoleOptions.ts). */
  readonly console: ConsoleOptions;
  /** Whether the gateway records Prometheus metrics: when it serves them (`FINSYNC_METRICS_PORT` set, the launcher sets it). */
  readonly metrics: boolean;
  /**
   * Identical subscriptions of one security scope share one execution (gateway/subscriptions/). Env
   * `FINSYNC_SUBSCRIPTION_SHARING` (`on`, default, or `off`: each subscriber its own execution, as before) and
   * `FINSYNC_SUBSCRIPTION_BUFFER` (results queued per subscriber before one that does not read them is dropped;
   * default 1024).
   */
  readonly subscriptions: SubscriptionSharing;
}

const names = Object.keys(SUBGRAPH_PORTS) as SubgraphName[];

/** Parses the configuration; throws one Error listing every invalid variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const urls = Object.fromEntries(
    names.map((n) => [
      `FINSYNC_${n.toUpperCase()}_URL`,
      z.string().url().default(`http://127.0.0.1:${SUBGRAPH_PORTS[n]}/graphql`),
    ]),
  );
  const schema = z
    .object({
      FINSYNC_GATEWAY_HOST: z.string().min(1).default('127.0.0.1'),
      FINSYNC_GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
      FINSYNC_GATEWAY_STARTUP_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
      FINSYNC_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      FINSYNC_CONSOLE_DIR: z
        .string()
        .min(1)
        .default(join(__dirname, '..', 'console', 'dist')),
      FINSYNC_OIDC_ISSUER: z.string().url().optional(),
      FINSYNC_OIDC_CLIENT_ID: z.string().min(1).optional(),
      FINSYNC_OIDC_SCOPE: z.string().min(1).default('openid profile'),
      FINSYNC_OIDC_RESOURCE: z.string().url().optional(),
      FINSYNC_SUBSCRIPTION_SHARING: z.enum(['on', 'off']).default('on'),
      FINSYNC_SUBSCRIPTION_BUFFER: z.coerce.number().int().min(1).max(100_000).default(1024),
      FINSYNC_DEV_TOKEN_TTL_S: z.coerce.number().int().min(5).max(86_400).default(28_800),
      ...urls,
    })
    .refine((e) => !e.FINSYNC_OIDC_ISSUER === !e.FINSYNC_OIDC_CLIENT_ID, {
      path: ['FINSYNC_OIDC_CLIENT_ID'],
      message: 'FINSYNC_OIDC_ISSUER and FINSYNC_OIDC_CLIENT_ID go together',
    });
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid gateway configuration:\n${problems}`);
  }
  const e = parsed.data as Record<string, unknown> & z.infer<typeof schema>;
  return {
    host: e.FINSYNC_GATEWAY_HOST,
    port: e.FINSYNC_GATEWAY_PORT,
    startupTimeoutMs: e.FINSYNC_GATEWAY_STARTUP_TIMEOUT_MS,
    logLevel: e.FINSYNC_LOG_LEVEL,
    subgraphs: names.map((n) => ({ name: n, url: e[`FINSYNC_${n.toUpperCase()}_URL`] as string })),
    security: loadSecurityConfig(env),
    subscriptions: {
      enabled: e.FINSYNC_SUBSCRIPTION_SHARING === 'on',
      bufferLimit: e.FINSYNC_SUBSCRIPTION_BUFFER,
    },
    console: {
      dir: e.FINSYNC_CONSOLE_DIR,
      oidc:
        e.FINSYNC_OIDC_ISSUER && e.FINSYNC_OIDC_CLIENT_ID
          ? {
              issuer: e.FINSYNC_OIDC_ISSUER,
              clientId: e.FINSYNC_OIDC_CLIENT_ID,
              scope: e.FINSYNC_OIDC_SCOPE,
              resource: e.FINSYNC_OIDC_RESOURCE ?? null,
            }
          : null,
      developmentTokenSeconds: e.FINSYNC_DEV_TOKEN_TTL_S,
    },
    metrics: !['', 'off', undefined].includes(env.FINSYNC_METRICS_PORT),
  };
}
