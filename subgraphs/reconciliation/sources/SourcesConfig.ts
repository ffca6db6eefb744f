import { z } from 'zod';

/**
 * Where the reconciliation subgraph reads the source systems (read-only) for the source stage of each flow.
 * Parsed once from the environment; all problems reported together.
 */
export interface SourcesConfig {
  /**
   * Billing (MariaDB). Env `FINSYNC_BILLING_MARIADB_HOST` (TCP; when unset, the local socket
   * `FINSYNC_BILLING_MARIADB_SOCKET`, default `/run/mysqld/mysqld.sock`), `_PORT` (3306), `_USER` (`root`),
   * `_PASSWORD` (empty), `_DATABASE` (`billing`).
   */
  readonly billing: {
    readonly host: string | null;
    readonly port: number;
    readonly socketPath: string;
    readonly user: string;
    readonly password: string;
    readonly database: string;
  };
  /** Procurement (Postgres). Env `FINSYNC_PROCUREMENT_PG_URL`; default `postgres://postgres@127.0.0.1:5432/procurement`. */
  readonly procurementUrl: string;
  /** Payroll (Postgres). Env `FINSYNC_PAYROLL_PG_URL`; default `postgres://postgres@127.0.0.1:5432/payroll`. */
  readonly payrollUrl: string;
  /**
   * A difference on a record changed at its source less than this many seconds ago is PENDING (the pipeline
   * may not have applied it yet), not MISMATCH. Env `FINSYNC_RECONCILIATION_GRACE_S`; default 120.
   */
  readonly graceSeconds: number;
}

const schema = z.object({
  FINSYNC_BILLING_MARIADB_HOST: z.string().min(1).optional(),
  FINSYNC_BILLING_MARIADB_PORT: z.coerce.number().int().min(1).max(65535).default(3306),
  FINSYNC_BILLING_MARIADB_SOCKET: z.string().min(1).default('/run/mysqld/mysqld.sock'),
  FINSYNC_BILLING_MARIADB_USER: z.string().min(1).default('root'),
  FINSYNC_BILLING_MARIADB_PASSWORD: z.string().default(''),
  FINSYNC_BILLING_MARIADB_DATABASE: z.string().min(1).default('billing'),
  FINSYNC_PROCUREMENT_PG_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/procurement'),
  FINSYNC_PAYROLL_PG_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/payroll'),
  FINSYNC_RECONCILIATION_GRACE_S: z.coerce.number().int().min(0).default(120),
});

/** Parses the configuration; throws one Error listing every invalid variable. */
export function loadSourcesConfig(env: NodeJS.ProcessEnv = process.env): SourcesConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid reconciliation configuration:\n${problems}`);
  }
  const e = parsed.data;
  return {
    billing: {
      host: e.FINSYNC_BILLING_MARIADB_HOST ?? null,
      port: e.FINSYNC_BILLING_MARIADB_PORT,
      socketPath: e.FINSYNC_BILLING_MARIADB_SOCKET,
      user: e.FINSYNC_BILLING_MARIADB_USER,
      password: e.FINSYNC_BILLING_MARIADB_PASSWORD,
      database: e.FINSYNC_BILLING_MARIADB_DATABASE,
    },
    procurementUrl: e.FINSYNC_PROCUREMENT_PG_URL,
    payrollUrl: e.FINSYNC_PAYROLL_PG_URL,
    graceSeconds: e.FINSYNC_RECONCILIATION_GRACE_S,
  };
}
