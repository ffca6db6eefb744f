import { z } from 'zod';

/** The subgraphs and the port each listens on by default. */
export const SUBGRAPH_PORTS = {
  vendors: 4101,
  invoices: 4102,
  payments: 4103,
  journals: 4104,
  reconciliation: 4105,
  postings: 4106,
} as const;

export type SubgraphName = keyof typeof SUBGRAPH_PORTS;

/**
 * One subgraph process's configuration, parsed from the environment once at start; every problem is reported
 * together before the process exits.
 */
export interface SubgraphConfig {
  readonly name: SubgraphName;
  /** Interface to listen on. Env `FINSYNC_SUBGRAPH_HOST`; default `127.0.0.1`. */
  readonly host: string;
  /**
   * Port. Env `FINSYNC_<NAME>_PORT` (e.g. `FINSYNC_INVOICES_PORT`); defaults vendors 4101, invoices 4102,
   * payments 4103, journals 4104, reconciliation 4105, postings 4106. `0` picks a free port (tests).
   */
  readonly port: number;
  /** The canonical store. Env `FINSYNC_DATABASE_URL`; default `postgres://postgres@127.0.0.1:5432/finsync`. */
  readonly databaseUrl: string;
  /** Connections per process. Env `FINSYNC_SUBGRAPH_DB_POOL`; default 10. */
  readonly dbPoolSize: number;
  /** Kafka bootstrap servers. Env `FINSYNC_KAFKA_BROKERS`, comma-separated; default `127.0.0.1:9092`. */
  readonly kafkaBrokers: readonly string[];
  /** Canonical change events feeding subscriptions. Env `FINSYNC_EVENTS_TOPIC`; default `finsync.canonical.events`. */
  readonly eventsTopic: string;
  /** pino log level. Env `FINSYNC_LOG_LEVEL`; default `info`. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const schema = z.object({
  FINSYNC_SUBGRAPH_HOST: z.string().min(1).default('127.0.0.1'),
  FINSYNC_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/finsync'),
  FINSYNC_SUBGRAPH_DB_POOL: z.coerce.number().int().min(1).max(100).default(10),
  FINSYNC_KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine((xs) => xs.length > 0, 'must name at least one broker'),
  FINSYNC_EVENTS_TOPIC: z.string().min(1).default('finsync.canonical.events'),
  FINSYNC_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Parses the configuration of subgraph `name`; throws one Error listing every invalid variable. */
export function loadSubgraphConfig(name: SubgraphName, env: NodeJS.ProcessEnv = process.env): SubgraphConfig {
  const portVar = `FINSYNC_${name.toUpperCase()}_PORT`;
  const port = z.coerce.number().int().min(0).max(65535).default(SUBGRAPH_PORTS[name]);
  const parsed = schema.extend({ [portVar]: port }).safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid ${name} subgraph configuration:\n${problems}`);
  }
  const e = parsed.data as z.infer<typeof schema> & Record<string, number>;
  return {
    name,
    host: e.FINSYNC_SUBGRAPH_HOST,
    port: e[portVar] as number,
    databaseUrl: e.FINSYNC_DATABASE_URL,
    dbPoolSize: e.FINSYNC_SUBGRAPH_DB_POOL,
    kafkaBrokers: e.FINSYNC_KAFKA_BROKERS,
    eventsTopic: e.FINSYNC_EVENTS_TOPIC,
    logLevel: e.FINSYNC_LOG_LEVEL,
  };
}
