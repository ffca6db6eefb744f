import { hostname } from 'node:os';
import { z } from 'zod';

/**
 * The CDC consumer's configuration, parsed from the environment once at start. Every problem is reported
 * together (zod collects them) before the process exits.
 */
export interface CdcConfig {
  /** Kafka bootstrap servers. Env `FINSYNC_KAFKA_BROKERS`, comma-separated; default `127.0.0.1:9092`. */
  readonly kafkaBrokers: readonly string[];
  /** Consumer group of the CDC pipeline. Env `FINSYNC_CDC_GROUP_ID`; default `finsync-cdc`. */
  readonly groupId: string;
  /**
   * Which topics are Debezium change topics: `<system>.<schema>.<table>` of these systems.
   * Env `FINSYNC_CDC_SYSTEMS`, comma-separated; default `erp,billing,procurement,payroll`.
   */
  readonly systems: readonly string[];
  /** The canonical store. Env `FINSYNC_DATABASE_URL`; default `postgres://postgres@127.0.0.1:5432/finsync`. */
  readonly databaseUrl: string;
  /** Poison messages go here. Env `FINSYNC_DLQ_TOPIC`; default `finsync.cdc.dead-letter`. */
  readonly deadLetterTopic: string;
  /** Canonical change events (the outbox relay's output). Env `FINSYNC_EVENTS_TOPIC`; default `finsync.canonical.events`. */
  readonly eventsTopic: string;
  /** Kafka Connect's REST API, for the connector-state gauges. Env `FINSYNC_CONNECT_URL`; default `http://127.0.0.1:8083`. */
  readonly connectUrl: string;
  /**
   * The source Postgres whose replication slots Debezium holds, for the WAL-retained gauge. Env
   * `FINSYNC_SOURCE_PG_URL`; default: the canonical store's server (`databaseUrl`).
   */
  readonly sourcePgUrl: string;
  /** How often the operations gauges are read from the database and Connect. Env `FINSYNC_GAUGE_INTERVAL_MS`; default 15000. */
  readonly gaugeIntervalMs: number;
  /**
   * This process's stable name in the group (the launcher sets `FINSYNC_INSTANCE`, e.g. cdc-2; default
   * `cdc@<hostname>`, one per container). Give each replica its own: a process started under a name evicts the group
   * member last recorded under it.
   */
  readonly instance: string;
  /**
   * Partitions of the change topics finsync creates itself (tables without rows yet), like Debezium's
   * (`topic.creation.default.partitions` in stack/connect/connectors). Env `FINSYNC_CDC_TOPIC_PARTITIONS`; default 1 (docs/scaling.md: why).
   */
  readonly topicPartitions: number;
  /**
   * What the change topics' names start with before `<system>.`: empty for Debezium's own names; e.g. `v2.` when
   * the connectors' topics are routed to new, repartitioned topics (docs/cdc-pipeline.md, "From one partition to
   * several"). Env `FINSYNC_CDC_TOPIC_PREFIX`; default empty.
   */
  readonly topicPrefix: string;
  /** pino log level. Env `FINSYNC_LOG_LEVEL`; default `info`. */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
}

const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .refine((xs) => xs.length > 0, 'must name at least one value');

const schema = z.object({
  FINSYNC_KAFKA_BROKERS: list('127.0.0.1:9092'),
  FINSYNC_CDC_GROUP_ID: z.string().min(1).default('finsync-cdc'),
  FINSYNC_CDC_SYSTEMS: list('erp,billing,procurement,payroll'),
  FINSYNC_DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/finsync'),
  FINSYNC_DLQ_TOPIC: z.string().min(1).default('finsync.cdc.dead-letter'),
  FINSYNC_EVENTS_TOPIC: z.string().min(1).default('finsync.canonical.events'),
  FINSYNC_CONNECT_URL: z.string().url().default('http://127.0.0.1:8083'),
  FINSYNC_SOURCE_PG_URL: z.string().url().optional(),
  FINSYNC_GAUGE_INTERVAL_MS: z.coerce.number().int().min(100).default(15_000),
  FINSYNC_CDC_TOPIC_PREFIX: z
    .string()
    .regex(/^([a-z0-9_-]+\.)?$/i, 'must be empty or a name followed by a dot, e.g. "v2."')
    .default(''),
  FINSYNC_INSTANCE: z.string().min(1).default(`cdc@${hostname()}`),
  FINSYNC_CDC_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(1),
  FINSYNC_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

/** Parses the configuration; throws one Error listing every invalid variable. */
export function loadCdcConfig(env: NodeJS.ProcessEnv = process.env): CdcConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid CDC configuration:\n${problems}`);
  }
  const e = parsed.data;
  return {
    kafkaBrokers: e.FINSYNC_KAFKA_BROKERS,
    groupId: e.FINSYNC_CDC_GROUP_ID,
    systems: e.FINSYNC_CDC_SYSTEMS,
    databaseUrl: e.FINSYNC_DATABASE_URL,
    deadLetterTopic: e.FINSYNC_DLQ_TOPIC,
    eventsTopic: e.FINSYNC_EVENTS_TOPIC,
    connectUrl: e.FINSYNC_CONNECT_URL.replace(/\/$/, ''),
    sourcePgUrl: e.FINSYNC_SOURCE_PG_URL ?? e.FINSYNC_DATABASE_URL,
    gaugeIntervalMs: e.FINSYNC_GAUGE_INTERVAL_MS,
    instance: e.FINSYNC_INSTANCE,
    topicPrefix: e.FINSYNC_CDC_TOPIC_PREFIX,
    topicPartitions: e.FINSYNC_CDC_TOPIC_PARTITIONS,
    logLevel: e.FINSYNC_LOG_LEVEL,
  };
}

/** The Debezium change topics of the given systems: `<prefix><system>.<schema>.<table>`. */
export function changeTopicPattern(systems: readonly string[], prefix = ''): RegExp {
  const names = systems.map((s) => s.replace(/[^a-z0-9_-]/gi, '')).join('|');
  return new RegExp(`^${prefix.replace(/\./g, '\\.')}(${names})\\.[^.]+\\.[^.]+$`);
}
