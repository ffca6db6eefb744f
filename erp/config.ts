import { hostname } from 'node:os';
import { z } from 'zod';
import type { TrytonClientOptions } from './tryton/TrytonClient';
import type { TrytonSettings } from './tryton/TrytonSettings';

/**
 * The posting worker's configuration (and the Tryton connector's, which the seed and the tests share), parsed
 * from the environment once at start. Every problem is reported together before the process exits.
 */
export interface ErpConfig {
  /** The canonical store. Env `FINSYNC_DATABASE_URL`; default `postgres://postgres@127.0.0.1:5432/finsync`. */
  readonly databaseUrl: string;
  /** Env `FINSYNC_TRYTON_URL`; default `http://127.0.0.1:8000/finsync_erp/` (the stack's Tryton). */
  readonly tryton: TrytonClientOptions;
  /** Env `FINSYNC_TRYTON_COMPANIES` (`FS-EU=1,…`: legal entity = Tryton company id), default `FS-EU=1,FS-US=2`
   * (the companies stack/tryton/ensure_companies.py makes, as reference.json's ERP_COMPANY translation names them);
   * `FINSYNC_TRYTON_JOURNAL` default `FSJ`; `FINSYNC_TRYTON_LOOKUP_TTL_MS` default 30000. */
  readonly trytonSettings: TrytonSettings;
  readonly worker: WorkerSettings;
  /** pino log level. Env `FINSYNC_LOG_LEVEL`; default `info`. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
}

/** How the posting worker paces itself. */
export interface WorkerSettings {
  /** Name in `posting_queue.locked_by` and the logs. Env `FINSYNC_WORKER_ID`; default `posting-worker-<host>-<pid>`. */
  readonly workerId: string;
  /** Sleep when nothing is due. Env `FINSYNC_WORKER_IDLE_MS`; default 500. */
  readonly idleMs: number;
  /** Postings claimed per round. Env `FINSYNC_WORKER_BATCH`; default 10. */
  readonly batchSize: number;
  /**
   * How long a claim holds a posting. Must exceed the ERP request timeout by far: a posting whose lease ran out
   * is claimed again. Env `FINSYNC_WORKER_LEASE_MS`; default 120000.
   */
  readonly leaseMs: number;
  /** First retry delay after a transient error; doubles up to `maxBackoffMs`. Env `FINSYNC_WORKER_BACKOFF_MS`; default 1000. */
  readonly backoffMs: number;
  /** Env `FINSYNC_WORKER_MAX_BACKOFF_MS`; default 60000. */
  readonly maxBackoffMs: number;
  /** ERP calls per second at most (all postings together). Env `FINSYNC_ERP_RATE_PER_S`; default 50. */
  readonly erpRatePerSecond: number;
  /** Consecutive transient failures that open the circuit breaker. Env `FINSYNC_ERP_BREAKER_FAILURES`; default 5. */
  readonly breakerFailures: number;
  /** How long the open breaker waits before letting one call through. Env `FINSYNC_ERP_BREAKER_HALF_OPEN_MS`; default 5000. */
  readonly breakerHalfOpenMs: number;
  /**
   * Test-only crash point: `after-erp-commit` makes the worker kill itself (SIGKILL) right after the ERP confirmed
   * a document and before finsync records it. Env `FINSYNC_WORKER_CRASH_POINT`; default none.
   */
  readonly crashPoint: 'after-erp-commit' | null;
  /** With a crash point: the chance (0–1) of crashing at each pass. Env `FINSYNC_WORKER_CRASH_PROBABILITY`; default 1. */
  readonly crashProbability: number;
  /**
   * How often posted journals are compared with the ERP's copy that came back through CDC (confirmation).
   * Env `FINSYNC_CONFIRM_INTERVAL_MS`; default 2000.
   */
  readonly confirmIntervalMs: number;
}

const int = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

const schema = z.object({
  FINSYNC_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/finsync'),
  FINSYNC_TRYTON_URL: z.string().url().default('http://127.0.0.1:8000/finsync_erp/'),
  FINSYNC_TRYTON_USER: z.string().min(1).default('admin'),
  FINSYNC_TRYTON_PASSWORD: z.string().default('admin'),
  FINSYNC_TRYTON_TIMEOUT_MS: int(30_000),
  FINSYNC_TRYTON_COMPANIES: z
    .string()
    .default('FS-EU=1,FS-US=2')
    .transform((s, ctx) => {
      const out: Record<string, number> = {};
      for (const pair of s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean)) {
        const m = /^([^=]+)=(\d+)$/.exec(pair);
        if (!m) ctx.addIssue({ code: 'custom', message: `"${pair}" is not <legal entity>=<company id>` });
        else out[m[1]!.trim()] = Number(m[2]);
      }
      return out;
    }),
  FINSYNC_TRYTON_JOURNAL: z.string().min(1).default('FSJ'),
  FINSYNC_TRYTON_LOOKUP_TTL_MS: int(30_000, 0),
  // Host and pid: replicas in containers (each pid 1) still hold distinct leases.
  FINSYNC_WORKER_ID: z.string().min(1).default(`posting-worker-${hostname()}-${process.pid}`),
  FINSYNC_WORKER_IDLE_MS: int(500),
  FINSYNC_WORKER_BATCH: int(10),
  FINSYNC_WORKER_LEASE_MS: int(120_000),
  FINSYNC_WORKER_BACKOFF_MS: int(1_000),
  FINSYNC_WORKER_MAX_BACKOFF_MS: int(60_000),
  FINSYNC_ERP_RATE_PER_S: int(50),
  FINSYNC_ERP_BREAKER_FAILURES: int(5),
  FINSYNC_ERP_BREAKER_HALF_OPEN_MS: int(5_000),
  FINSYNC_WORKER_CRASH_POINT: z.enum(['after-erp-commit']).optional(),
  FINSYNC_WORKER_CRASH_PROBABILITY: z.coerce.number().min(0).max(1).default(1),
  FINSYNC_CONFIRM_INTERVAL_MS: int(2_000, 100),
  FINSYNC_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

/** Parses the configuration; throws one Error listing every invalid variable. */
export function loadErpConfig(env: NodeJS.ProcessEnv = process.env): ErpConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid posting worker configuration:\n${problems}`);
  }
  const e = parsed.data;
  return {
    databaseUrl: e.FINSYNC_DATABASE_URL,
    tryton: {
      url: e.FINSYNC_TRYTON_URL.endsWith('/') ? e.FINSYNC_TRYTON_URL : `${e.FINSYNC_TRYTON_URL}/`,
      login: e.FINSYNC_TRYTON_USER,
      password: e.FINSYNC_TRYTON_PASSWORD,
      timeoutMs: e.FINSYNC_TRYTON_TIMEOUT_MS,
    },
    trytonSettings: {
      companies: e.FINSYNC_TRYTON_COMPANIES,
      journalCode: e.FINSYNC_TRYTON_JOURNAL,
      lookupTtlMs: e.FINSYNC_TRYTON_LOOKUP_TTL_MS,
    },
    worker: {
      workerId: e.FINSYNC_WORKER_ID,
      idleMs: e.FINSYNC_WORKER_IDLE_MS,
      batchSize: e.FINSYNC_WORKER_BATCH,
      leaseMs: e.FINSYNC_WORKER_LEASE_MS,
      backoffMs: e.FINSYNC_WORKER_BACKOFF_MS,
      maxBackoffMs: e.FINSYNC_WORKER_MAX_BACKOFF_MS,
      erpRatePerSecond: e.FINSYNC_ERP_RATE_PER_S,
      breakerFailures: e.FINSYNC_ERP_BREAKER_FAILURES,
      breakerHalfOpenMs: e.FINSYNC_ERP_BREAKER_HALF_OPEN_MS,
      crashPoint: e.FINSYNC_WORKER_CRASH_POINT ?? null,
      crashProbability: e.FINSYNC_WORKER_CRASH_PROBABILITY,
      confirmIntervalMs: e.FINSYNC_CONFIRM_INTERVAL_MS,
    },
    logLevel: e.FINSYNC_LOG_LEVEL,
  };
}
