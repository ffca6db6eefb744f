import { z } from 'zod';

/** The development secrets: for a machine's own stack only. Production mode refuses to start with them. */
export const DEVELOPMENT_JWT_SECRET = 'finsync-development-secret-do-not-use-in-production';
export const DEVELOPMENT_INTERNAL_SECRET = 'finsync-internal-development-secret-do-not-use-in-production';

/**
 * Authentication and query limits, parsed once from the environment (gateway and subgraphs); every problem is
 * reported together. Secrets only come from here, never from files in the repository.
 */
export interface SecurityConfig {
  /** Env `FINSYNC_PRODUCTION` (`true`/`1`); default false. Production: no development secrets, introspection off, field suggestions hidden. */
  readonly production: boolean;
  /** Users' tokens. HS256 with `FINSYNC_JWT_SECRET` (development default outside production), or RS256/ES256 from `FINSYNC_JWKS_URL`. */
  readonly userTokens:
    { readonly kind: 'secret'; readonly secret: Uint8Array } | { readonly kind: 'jwks'; readonly url: string };
  /** Env `FINSYNC_JWT_ISSUER`; default `finsync-dev`. */
  readonly issuer: string;
  /** Env `FINSYNC_JWT_AUDIENCE`; default `finsync`. */
  readonly audience: string;
  /** Env `FINSYNC_INTERNAL_TOKEN_SECRET`: the short-lived tokens the gateway signs for the subgraphs (HS256). */
  readonly internalSecret: Uint8Array;
  readonly limits: QueryLimits;
}

export interface QueryLimits {
  /** Env `FINSYNC_MAX_DEPTH`; default 12. */
  readonly maxDepth: number;
  /** Env `FINSYNC_MAX_ALIASES`; default 30. */
  readonly maxAliases: number;
  /** Env `FINSYNC_MAX_TOKENS`; default 4000. */
  readonly maxTokens: number;
  /**
   * Estimated cost: the objects a request can make the subgraphs read, each list multiplied by its page (`first`) or
   * by 10 (gateway/plugins/useQueryCost.ts). Env `FINSYNC_MAX_COST`; default 50000.
   */
  readonly maxCost: number;
  /** Env `FINSYNC_MAX_BODY_BYTES`; default 1 MiB. */
  readonly maxBodyBytes: number;
  /**
   * The execution timeout: each SQL statement a subgraph runs for a request, ms (Postgres cancels it past this).
   * Env `FINSYNC_STATEMENT_TIMEOUT_MS`; default 10000.
   */
  readonly statementTimeoutMs: number;
  /** Requests per principal per minute. Env `FINSYNC_RATE_LIMIT_PER_MINUTE`; default 600. */
  readonly requestsPerMinute: number;
}

const int = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const schema = z
  .object({
    FINSYNC_PRODUCTION: z
      .enum(['true', 'false', '1', '0', ''])
      .default('false')
      .transform((v) => v === 'true' || v === '1'),
    FINSYNC_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    FINSYNC_JWKS_URL: z.string().url().optional(),
    FINSYNC_JWT_ISSUER: z.string().min(1).default('finsync-dev'),
    FINSYNC_JWT_AUDIENCE: z.string().min(1).default('finsync'),
    FINSYNC_INTERNAL_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    FINSYNC_MAX_DEPTH: int(12),
    FINSYNC_MAX_ALIASES: int(30),
    FINSYNC_MAX_TOKENS: int(4000),
    FINSYNC_MAX_COST: int(50_000),
    FINSYNC_MAX_BODY_BYTES: int(1024 * 1024),
    FINSYNC_STATEMENT_TIMEOUT_MS: int(10_000),
    FINSYNC_RATE_LIMIT_PER_MINUTE: int(600),
  })
  .superRefine((e, ctx) => {
    if (!e.FINSYNC_PRODUCTION) return;
    if (!e.FINSYNC_JWKS_URL && !e.FINSYNC_JWT_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['FINSYNC_JWKS_URL'],
        message: 'production needs FINSYNC_JWKS_URL or FINSYNC_JWT_SECRET',
      });
    if (!e.FINSYNC_INTERNAL_TOKEN_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['FINSYNC_INTERNAL_TOKEN_SECRET'],
        message: 'production needs its own internal token secret',
      });
  });

const bytes = (s: string) => new TextEncoder().encode(s);

/** Parses the configuration; throws one Error listing every invalid variable. */
export function loadSecurityConfig(env: NodeJS.ProcessEnv = process.env): SecurityConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid security configuration:\n${problems}`);
  }
  const e = parsed.data;
  return {
    production: e.FINSYNC_PRODUCTION,
    userTokens: e.FINSYNC_JWKS_URL
      ? { kind: 'jwks', url: e.FINSYNC_JWKS_URL }
      : { kind: 'secret', secret: bytes(e.FINSYNC_JWT_SECRET ?? DEVELOPMENT_JWT_SECRET) },
    issuer: e.FINSYNC_JWT_ISSUER,
    audience: e.FINSYNC_JWT_AUDIENCE,
    internalSecret: bytes(e.FINSYNC_INTERNAL_TOKEN_SECRET ?? DEVELOPMENT_INTERNAL_SECRET),
    limits: {
      maxDepth: e.FINSYNC_MAX_DEPTH,
      maxAliases: e.FINSYNC_MAX_ALIASES,
      maxTokens: e.FINSYNC_MAX_TOKENS,
      maxCost: e.FINSYNC_MAX_COST,
      maxBodyBytes: e.FINSYNC_MAX_BODY_BYTES,
      statementTimeoutMs: e.FINSYNC_STATEMENT_TIMEOUT_MS,
      requestsPerMinute: e.FINSYNC_RATE_LIMIT_PER_MINUTE,
    },
  };
}
