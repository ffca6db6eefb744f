/**
 * The gauges an SRE looks at first, read from the canonical store, the source Postgres and Kafka Connect on an
 * interval by the `cdc` process only (one instance: replicas of other processes do not multiply them), never by the
 * scrape itself. A failed read keeps the last values and counts the failure (`finsync_gauge_collection_errors_total`).
 */
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { counter, gauge } from '../../runtime/metrics/registry';
import type { MessageBroker } from '../kafka/MessageBroker';
import type { ExceptionMaxAges } from './exceptionMaxAges';

const exceptionsOpen = gauge('finsync_exceptions_open', 'Open exceptions, by code and legal entity.', [
  'code',
  'legal_entity',
]);
const oldestAge = gauge('finsync_exception_oldest_age_seconds', 'Age of the oldest open exception of each code.', [
  'code',
]);
const maxAge = gauge(
  'finsync_exception_max_age_seconds',
  'How long an exception of this code may stay open (finance’s cdc/validation/exceptionMaxAges.json).',
  ['code'],
);
const parked = gauge('finsync_parked_events', 'Change events parked until their prerequisite arrives.');
const outbox = gauge('finsync_outbox_backlog', 'Canonical events written to the outbox and not yet published.');
const walRetained = gauge(
  'finsync_replication_slot_wal_retained_bytes',
  'WAL the source Postgres keeps for each replication slot (a stalled Debezium connector makes it grow).',
  ['slot', 'active'],
);
const connectorRunning = gauge(
  'finsync_connector_running',
  'Whether each Kafka Connect connector is RUNNING (1) or not (0); state label says which state it is in.',
  ['connector', 'state'],
);
const taskRunning = gauge('finsync_connector_task_running', 'Whether each connector task is RUNNING (1) or not (0).', [
  'connector',
  'task',
  'state',
]);
const connectUp = gauge(
  'finsync_connect_up',
  'Whether Kafka Connect’s REST API answered the last read (1) or not (0).',
);
const lag = gauge(
  'finsync_cdc_consumer_lag_messages',
  'Messages on a change topic partition that the CDC pipeline has not applied yet: high watermark − next offset stored with the canonical commit.',
  ['topic', 'partition'],
);
const collectionErrors = counter(
  'finsync_gauge_collection_errors_total',
  'Failed reads of the database or Connect for the operations gauges, by source.',
  ['source'],
);

export interface OperationsGaugeOptions {
  readonly pool: Pool;
  /** The source Postgres holding Debezium's replication slots (default: the canonical store's server). */
  readonly sourcePool?: Pool;
  readonly connectUrl: string;
  /** The broker and what the pipeline consumes, for the consumer lag. */
  readonly broker: MessageBroker;
  readonly groupId: string;
  readonly topicPattern: RegExp;
  readonly maxAges: ExceptionMaxAges;
  readonly intervalMs: number;
  readonly logger: Logger;
}

export interface RunningCollector {
  /** One collection now (tests, and the first one at start). */
  collect(): Promise<void>;
  stop(): Promise<void>;
}

export function collectOperationsGauges(options: OperationsGaugeOptions): RunningCollector {
  const { pool, logger } = options;
  const sourcePool = options.sourcePool ?? pool;

  const canonical = async () => {
    const [exceptions, counts] = await Promise.all([
      pool.query<{ code: string; legal_entity: string; open: string; oldest: string }>(
        `select code, coalesce(legal_entity_id, 'none') as legal_entity, count(*) as open,
                extract(epoch from now() - min(created_at)) as oldest
           from exception where status = 'OPEN' group by 1, 2`,
      ),
      pool.query<{ parked: string; outbox: string }>(
        `select (select count(*) from parked_event) as parked,
                (select count(*) from outbox where published_at is null) as outbox`,
      ),
    ]);
    exceptionsOpen.reset();
    oldestAge.reset();
    maxAge.reset();
    const oldest = new Map<string, number>();
    for (const r of exceptions.rows) {
      exceptionsOpen.set({ code: r.code, legal_entity: r.legal_entity }, Number(r.open));
      oldest.set(r.code, Math.max(oldest.get(r.code) ?? 0, Number(r.oldest)));
    }
    for (const [code, age] of oldest) oldestAge.set({ code }, age);
    for (const code of new Set([...Object.keys(options.maxAges.codes), ...oldest.keys()])) {
      maxAge.set({ code }, options.maxAges.of(code));
    }
    parked.set(Number(counts.rows[0]!.parked));
    outbox.set(Number(counts.rows[0]!.outbox));
  };

  const slots = async () => {
    const { rows } = await sourcePool.query<{ slot: string; active: boolean; retained: string | null }>(
      `select slot_name as slot, active, pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) as retained
         from pg_replication_slots`,
    );
    walRetained.reset();
    for (const r of rows) walRetained.set({ slot: r.slot, active: String(r.active) }, Number(r.retained ?? 0));
  };

  const connect = async () => {
    try {
      const res = await fetch(`${options.connectUrl}/connectors?expand=status`, { signal: AbortSignal.timeout(5000) });
      if (!res.ok) throw new Error(`Connect answered HTTP ${res.status}`);
      const body = (await res.json()) as Record<
        string,
        { status: { connector: { state: string }; tasks: { id: number; state: string }[] } }
      >;
      connectorRunning.reset();
      taskRunning.reset();
      for (const [name, { status }] of Object.entries(body)) {
        const state = status.connector.state;
        connectorRunning.set({ connector: name, state }, state === 'RUNNING' ? 1 : 0);
        for (const t of status.tasks) {
          taskRunning.set({ connector: name, task: String(t.id), state: t.state }, t.state === 'RUNNING' ? 1 : 0);
        }
      }
      connectUp.set(1);
    } catch (err) {
      connectUp.set(0);
      throw err;
    }
  };

  const consumerLag = async () => {
    if (!options.broker.highWatermarks) return;
    const [ends, stored] = await Promise.all([
      options.broker.highWatermarks(options.topicPattern),
      pool.query<{ topic: string; partition: number; next_offset: string }>(
        `select topic, partition, next_offset::text from consumer_offset where group_id = $1`,
        [options.groupId],
      ),
    ]);
    const next = new Map(stored.rows.map((r) => [`${r.topic}:${r.partition}`, BigInt(r.next_offset)]));
    lag.reset();
    for (const [key, end] of ends) {
      const at = key.lastIndexOf(':');
      const behind = BigInt(end) - (next.get(key) ?? 0n);
      lag.set({ topic: key.slice(0, at), partition: key.slice(at + 1) }, Number(behind > 0n ? behind : 0n));
    }
  };

  const sources = { canonical, slots, connect, consumerLag } as const;
  let running: Promise<void> | null = null;
  const collect = (): Promise<void> => {
    running ??= Promise.all(
      Object.entries(sources).map(([source, read]) =>
        read().catch((err: unknown) => {
          collectionErrors.inc({ source });
          logger.warn({ err, source }, 'reading an operations gauge failed; keeping the last values');
        }),
      ),
    ).then(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => void collect(), options.intervalMs);
  timer.unref();
  void collect();
  return {
    collect,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
