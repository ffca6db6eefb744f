import type { Span } from '@opentelemetry/api';
import { hostname } from 'node:os';
import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import type { Db } from '../../canonical-schema/Db';
import { loadReferenceCache, type ReferenceCache } from '../apply/loadReferenceCache';
import type { AuditEntry } from '../audit/AuditEntry';
import { insertAuditBatch } from '../audit/insertAuditBatch';
import { exceptionFingerprint } from '../exceptions/ExceptionInput';
import { raiseException } from '../exceptions/raiseException';
import type {
  GroupJoin,
  MessageBatch,
  MessageBroker,
  MessageConsumer,
  MessageProducer,
  OutgoingMessage,
} from '../kafka/MessageBroker';
import type { MappingRules } from '../mapping/loadMappingRules';
import { recordCommitted, type ChangeEnded } from '../metrics/cdcMetrics';
import { inSpan } from '../../runtime/tracing/tracer';
import { insertOutboxBatch } from '../outbox/insertOutboxBatch';
import type { OutboxEvent } from '../outbox/OutboxEvent';
import type { ValidationRuleSet } from '../validation/validate';
import { applyChanges, type ApplyContext, type Applied } from './applyChanges';
import { applyFailedException } from './applyFailedException';
import { isTransient } from './isTransient';
import type { Outcome } from './Outcome';
import type { PlannedChange } from './planChange';
import { poisonException } from './poisonException';
import { prepareBatch, rankOfTarget, type PreparedMessage } from './prepareBatch';
import { retryRequestedExceptions } from './retryRequestedExceptions';
import { takeTurnsByRank } from './takeTurnsByRank';

export interface PipelineOptions {
  readonly pool: Pool;
  readonly broker: MessageBroker;
  readonly groupId: string;
  readonly topics: readonly (string | RegExp)[];
  /** Where poison messages go, with their raw payload and the reason in headers. */
  readonly deadLetterTopic: string;
  readonly mappingRules: MappingRules;
  readonly validationRules: ValidationRuleSet;
  readonly logger: Logger;
  /** How long reference data (chart, dimensions, periods…) is reused before it is read again. Default 30 s. */
  readonly referenceTtlMs?: number;
  /** Where a consumer group with no stored offsets starts: the topics' beginning (default) or their end. */
  readonly startAt?: 'earliest' | 'latest';
  /**
   * How many partitions' batches are in hand at once. One transaction is in the database at a time; the batches
   * that arrive meanwhile decode and map, then go in together as the next transaction. Default 32.
   */
  readonly batchesInHand?: number;
  /** The most events one transaction takes from waiting batches (a single larger batch still goes alone). Default 20000. */
  readonly maxGroupEvents?: number;
  /**
   * Source systems grouped into lanes: a lane applies one transaction at a time, lanes run side by side. Systems
   * whose records refer to each other must share a lane (procurement and the ERP share vendors); a system not
   * listed goes to the first lane. Default `[['billing', 'payroll'], ['procurement', 'erp']]`.
   */
  readonly lanes?: readonly (readonly string[])[];
  /** How often retries that people asked for (exception actions) are looked for. Default 1000 ms. */
  readonly retryIntervalMs?: number;
  /**
   * This process's stable name in the group (`FINSYNC_INSTANCE`, e.g. cdc-2). Its Kafka member id is recorded under
   * it; started again, the instance evicts its predecessor's member instead of waiting for its session to expire.
   * Without it nothing is recorded or evicted.
   */
  readonly instance?: string;
  /** What the topics' names start with before `<system>.` (`FINSYNC_CDC_TOPIC_PREFIX`): the lane is the system's. */
  readonly topicPrefix?: string;
}

/** Counts per outcome since start, plus duplicates dropped because Postgres already held their offset. */
export type PipelineStats = Record<Outcome | 'ALREADY_APPLIED' | 'TOMBSTONE', number>;

export interface RunningPipeline {
  readonly stats: PipelineStats;
  /** Resolves once the consumer has joined its group (and so will see every message produced after). */
  readonly joined: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Consumes the change topics and applies each batch in ONE Postgres transaction: canonical rows, audit
 * trail, outbox events, exceptions and the consumer offsets together, written set-based (one statement per
 * table and round, see applyChanges). An event that breaks the batch is isolated by redoing the batch event
 * by event under savepoints. Offsets live in Postgres: on start the consumer seeks to them, and a message
 * below the stored offset (redelivered after a crash between the Postgres commit and the Kafka commit) is
 * dropped, so nothing is applied twice.
 */
export async function runPipeline(options: PipelineOptions): Promise<RunningPipeline> {
  const { pool, broker, groupId, logger } = options;
  const ttl = options.referenceTtlMs ?? 30_000;
  const maxGroupEvents = options.maxGroupEvents ?? 20_000;
  const stats: PipelineStats = {
    APPLIED: 0,
    PARKED: 0,
    REJECTED: 0,
    SKIPPED: 0,
    IGNORED: 0,
    POISON: 0,
    ALREADY_APPLIED: 0,
    TOMBSTONE: 0,
  };
  const clusterId = await broker.clusterId();
  const nextOffsets = await loadOffsets(pool, groupId, clusterId, logger);
  let reference: ReferenceCache | null = null;
  /** Offsets only move forward here: another member's commit read at a join may be ahead of this process's. */
  const raiseOffset = (key: string, offset: string) => {
    const known = nextOffsets.get(key);
    if (known === undefined || BigInt(offset) > BigInt(known)) nextOffsets.set(key, offset);
  };

  await broker.createTopics([options.deadLetterTopic]);
  const dlq: MessageProducer = await broker.producer();
  const consumer: MessageConsumer = await broker.consumer({
    groupId,
    topics: options.topics,
    fromBeginning: options.startAt !== 'latest',
  });

  /** Reference data (chart, dimensions, periods, translations), reread once it is older than the TTL. */
  const referenceData = async (db: Db): Promise<ReferenceCache> => {
    if (!reference || Date.now() - reference.loadedAt > ttl) reference = await loadReferenceCache(db);
    return reference;
  };
  // One transaction at a time in the database. Batches that arrive while one is in the database decode and
  // map meanwhile and then go in together, as one transaction (group commit): fewer commits and statements per
  // event, and a line meets its invoice in the same transaction instead of parking for it.
  // Source systems whose records refer to each other share a lane; lanes run side by side (one transaction in
  // the database per lane), so one lane's decisions in node overlap another lane's statements in Postgres.
  const lanes = (options.lanes ?? DEFAULT_LANES).map((systems) => ({
    systems: new Set(systems),
    turn: takeTurnsByRank(),
    waiting: [] as Waiting[],
    draining: false,
    started: false,
  }));
  const systemOf = (topic: string) => topic.slice(options.topicPrefix?.length ?? 0).split('.')[0] ?? '';
  const laneOf = (topic: string) => lanes.find((l) => l.systems.has(systemOf(topic))) ?? lanes[0]!;
  const laneKey = (lane: (typeof lanes)[number]) => [...lane.systems].sort().join('+');

  const handleBatch = async (batch: MessageBatch): Promise<void> => {
    const key = `${batch.topic}:${batch.partition}`;
    const from = BigInt(nextOffsets.get(key) ?? '0');
    const fresh = batch.messages.filter((m) => BigInt(m.offset) >= from);
    stats.ALREADY_APPLIED += batch.messages.length - fresh.length;
    if (!fresh.length) return;
    const prepared = prepareBatch(fresh, options.mappingRules, (await referenceData(pool)).translations);
    const lane = laneOf(batch.topic);
    await new Promise<void>((resolve, reject) => {
      lane.waiting.push({ batch, prepared, resolve, reject });
      void drain(lane);
    });
  };

  /** Applies what waits in a lane, a group at a time, until nothing waits. */
  const drain = async (lane: (typeof lanes)[number]): Promise<void> => {
    if (lane.draining) return;
    lane.draining = true;
    try {
      while (lane.waiting.length) {
        const group: Waiting[] = [];
        let size = 0;
        // The lane's first transaction after a start takes one batch only: a process restarted into a backlog is
        // applying (and its offsets moving) within a batch's time, not after a whole group of them.
        const cap = lane.started ? maxGroupEvents : 0;
        while (lane.waiting.length && (size === 0 || size + lane.waiting[0]!.prepared.length <= cap)) {
          const next = lane.waiting.shift()!;
          size += next.prepared.length;
          group.push(next);
        }
        try {
          await lane.turn(0, () => applyGroup(group));
          lane.started = true;
          for (const g of group) g.resolve();
        } catch (err) {
          for (const g of group) g.reject(err);
        }
      }
    } finally {
      lane.draining = false;
    }
  };

  /** Runs a task while no lane is in the database (each lane's turn taken, always in the same order). */
  const exclusive = <T>(task: () => Promise<T>): Promise<T> =>
    lanes.reduceRight<() => Promise<T>>((inner, lane) => () => lane.turn(0, inner), task)();

  /**
   * One group in one transaction (fast path, set-based). If an event hits an error of its own (a constraint, bad
   * data), the group is undone and each batch redone carefully, each event alone under a savepoint, so that event
   * becomes an exception and the others apply. Transient faults reach kafkajs, which retries the batches.
   */
  // Traced (when tracing is on) as one `cdc.batch` span per group, its `cdc.apply` transactions and their SQL beneath.
  const applyGroup = (group: readonly Waiting[]): Promise<void> =>
    inSpan(
      'cdc.batch',
      {
        'messaging.system': 'kafka',
        'messaging.destination.name': [...new Set(group.map((g) => g.batch.topic))].join(','),
        'messaging.batch.message_count': group.reduce((n, g) => n + g.prepared.length, 0),
      },
      () => applyGroupNow(group),
    );
  const applyGroupNow = async (group: readonly Waiting[]): Promise<void> => {
    const client = await pool.connect();
    try {
      const ctx: ApplyContext = {
        mappingRules: options.mappingRules,
        validationRules: options.validationRules,
        reference: await referenceData(client),
      };
      let counts: Partial<PipelineStats>;
      try {
        counts = await applyBatches(client, group, ctx, false);
      } catch (err) {
        if (isTransient(err)) throw err;
        logger.warn(
          { err, batches: group.map((g) => `${g.batch.topic}:${g.batch.partition}`) },
          'an event failed; redoing the batches event by event',
        );
        counts = {};
        for (const g of group) {
          for (const [k, v] of Object.entries(await applyBatches(client, [g], ctx, true)))
            counts[k as keyof PipelineStats] = (counts[k as keyof PipelineStats] ?? 0) + (v ?? 0);
        }
      }
      for (const [k, v] of Object.entries(counts)) stats[k as keyof PipelineStats] += v ?? 0;
      for (const { batch, prepared } of group) raiseOffset(`${batch.topic}:${batch.partition}`, nextOffset(prepared));
    } catch (err) {
      logger.warn(
        { err, batches: group.map((g) => `${g.batch.topic}:${g.batch.partition}`), transient: isTransient(err) },
        'batches failed; they will be retried',
      );
      throw err;
    } finally {
      client.release();
    }
  };

  /** Applies the batches' messages in one transaction, with offsets, audit trail and outbox; commits or throws. */
  const applyBatches = (
    client: PoolClient,
    group: readonly Waiting[],
    ctx: ApplyContext,
    careful: boolean,
  ): Promise<Partial<PipelineStats>> =>
    inSpan('cdc.apply', { 'finsync.careful': careful }, (span) => applyBatchesNow(client, group, ctx, careful, span));
  const applyBatchesNow = async (
    client: PoolClient,
    group: readonly Waiting[],
    ctx: ApplyContext,
    careful: boolean,
    span: Span,
  ): Promise<Partial<PipelineStats>> => {
    const counts: Partial<PipelineStats> = {};
    const count = (outcome: keyof PipelineStats) => (counts[outcome] = (counts[outcome] ?? 0) + 1);
    const trail: AuditEntry[] = [];
    const events: OutboxEvent[] = [];
    const deadLetters: OutgoingMessage[] = [];
    let referenceChanged = false;
    const ended: ChangeEnded[] = [];
    const poisonTopics: string[] = [];
    const tombstoneTopics: string[] = [];
    const keep = (applied: Applied, changes: readonly PlannedChange[]) => {
      trail.push(...applied.trail);
      events.push(...applied.events);
      for (const o of applied.outcomes) count(o);
      applied.outcomes.forEach((outcome, i) => {
        const change = changes[i];
        if (change) ended.push({ event: change.event, outcome });
      });
      referenceChanged ||= applied.referenceChanged;
    };
    try {
      await client.query('begin');
      // Other CDC processes of the group apply other partitions of the same lane's topics: the lane's lock makes
      // their transactions take turns (a parked payment and its invoice, a vendor and its duplicate never commit
      // side by side unseen), and the partitions' offset rows, locked, say what another member applied already
      // (a partition that moved in a rebalance while this batch was in hand): that part is dropped, not redone.
      const lane = laneOf(group[0]!.batch.topic);
      const vendors = group.some((g) =>
        g.prepared.some((p) => p.kind === 'change' && p.plan.kind === 'row' && p.plan.rule.target === 'VENDOR'),
      );
      await lockLanes(client, vendors, [laneKey(lane)]);
      const stored = await lockOffsets(
        client,
        groupId,
        clusterId,
        group.map((g) => g.batch),
      );
      const prepared = group.flatMap((g) => {
        const from = BigInt(stored.get(`${g.batch.topic}:${g.batch.partition}`) ?? '0');
        const fresh = g.prepared.filter((p) => BigInt(p.message.offset) >= from);
        for (let i = fresh.length; i < g.prepared.length; i++) count('ALREADY_APPLIED');
        return fresh;
      });
      for (const [key, offset] of stored) raiseOffset(key, offset);
      const poison = prepared.flatMap((p) => {
        if (p.kind !== 'poison') return [];
        const out = poisonException(p.message, p.error, options.deadLetterTopic);
        deadLetters.push(out.deadLetter);
        poisonTopics.push(p.message.topic);
        count('POISON');
        return [out.exception];
      });
      for (const p of prepared) {
        if (p.kind !== 'tombstone') continue;
        count('TOMBSTONE');
        tombstoneTopics.push(p.message.topic);
      }
      // Parents before children across the group's tables (each table keeps its own order).
      const changes = sortParentsFirst(prepared.flatMap((p) => (p.kind === 'change' ? [p.plan] : [])));
      if (!careful) {
        keep(await applyChanges(client, ctx, changes, poison), changes);
      } else {
        if (poison.length) keep(await applyChanges(client, ctx, [], poison), []);
        for (const change of changes) keep(await applyAlone(client, ctx, change), [change]);
      }
      await insertAuditBatch(client, trail);
      await insertOutboxBatch(client, events);
      for (const { batch, prepared: own } of group) {
        await client.query(
          `insert into consumer_offset (group_id, topic, partition, next_offset, cluster_id) values ($1, $2, $3, $4, $5)
           on conflict (group_id, topic, partition)
           do update set next_offset = case when consumer_offset.cluster_id <> excluded.cluster_id
                                            then excluded.next_offset
                                            else greatest(consumer_offset.next_offset, excluded.next_offset) end,
                         cluster_id = excluded.cluster_id, updated_at = now()`,
          [groupId, batch.topic, batch.partition, nextOffset(own), clusterId],
        );
      }
      // Dead letters go out before the commit: if producing fails the batch is retried, so none is lost
      // (a retry may publish one twice; its headers carry topic/partition/offset to deduplicate).
      if (deadLetters.length) await dlq.send(options.deadLetterTopic, deadLetters);
      await client.query('commit');
      recordCommitted({ ended, poisonTopics, tombstoneTopics }, Date.now());
      // A change's trace carries its correlation id (the audit trail's id of the record), so one can be found from the other.
      span.setAttribute('finsync.correlation_ids', [...new Set(trail.map((t) => t.correlationId))].slice(0, 1000));
      // The ERP changed the chart or the periods: the next batch validates against the new state.
      if (referenceChanged) reference = null;
      return counts;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
  };

  /** One change under a savepoint: if it throws, it is undone alone and becomes an APPLY_FAILED exception. */
  const applyAlone = async (client: PoolClient, ctx: ApplyContext, change: PlannedChange): Promise<Applied> => {
    await client.query('savepoint event');
    try {
      const applied = await applyChanges(client, ctx, [change]);
      await client.query('release savepoint event');
      return applied;
    } catch (err) {
      if (isTransient(err)) throw err;
      await client.query('rollback to savepoint event');
      const e = change.event;
      const exception = applyFailedException(change, err);
      logger.error({ err, topic: e.topic, offset: e.offset }, 'event could not be applied; exception raised');
      const failed = await applyChanges(
        client,
        ctx,
        [],
        [{ ...exception, fingerprint: exceptionFingerprint(exception) }],
      );
      return { ...failed, outcomes: ['REJECTED'] };
    }
  };

  // Retries people asked for (exception actions) take the database turn between batches, like a batch of their own.
  let retrying = false;
  const retries = setInterval(() => {
    if (retrying) return;
    retrying = true;
    void exclusive(async () => {
      const client = await pool.connect();
      try {
        // Across processes too: every lane's lock (a retried change may be of any system), for this session.
        await lockLanes(client, true, lanes.map(laneKey), 'session');
        const ctx: ApplyContext = {
          mappingRules: options.mappingRules,
          validationRules: options.validationRules,
          reference: await referenceData(client),
        };
        const n = await retryRequestedExceptions(client, ctx);
        if (n) logger.info({ retried: n }, 'requested retries carried out');
      } finally {
        await client.query('select pg_advisory_unlock_all()').catch(() => undefined);
        client.release();
      }
    })
      .catch((err: unknown) => logger.warn({ err }, 'carrying out requested retries failed; trying again'))
      .finally(() => (retrying = false));
  }, options.retryIntervalMs ?? 1_000);

  const startOffset = (topic: string, partition: number) => nextOffsets.get(`${topic}:${partition}`);
  /** On every join: the assigned partitions' offsets as stored now (another member may have moved them). */
  const startOffsets = async (assigned: ReadonlyArray<{ topic: string; partition: number }>) => {
    for (const [key, offset] of await loadOffsets(pool, groupId, clusterId, logger)) raiseOffset(key, offset);
    await reportOffsetGaps(assigned).catch((err: unknown) =>
      logger.warn({ err }, 'could not compare the stored offsets with what the topics still hold'),
    );
    return new Map(
      assigned.flatMap(({ topic, partition }) => {
        const offset = nextOffsets.get(`${topic}:${partition}`);
        return offset === undefined ? [] : [[`${topic}:${partition}`, offset] as const];
      }),
    );
  };
  /**
   * A consumer down for longer than the topics' retention finds its next offset deleted: Kafka would silently move it
   * to the first offset it still holds, and the changes between were never applied. Say so, as an exception (its
   * outbox event is the alert subscribers see) and an error in the log; the way back is a new snapshot
   * (docs/cdc-pipeline.md, "A gap in the offsets").
   */
  const reportOffsetGaps = async (assigned: ReadonlyArray<{ topic: string; partition: number }>) => {
    const starts = await broker.partitionStarts([...new Set(assigned.map((a) => a.topic))]);
    for (const { topic, partition } of assigned) {
      const key = `${topic}:${partition}`;
      const next = nextOffsets.get(key);
      const first = starts.get(key);
      if (next === undefined || first === undefined || BigInt(next) >= BigInt(first)) continue;
      const lost = BigInt(first) - BigInt(next);
      const message =
        `Topic ${topic}, partition ${partition}: finsync's next offset is ${next}, but the topic holds messages only from ` +
        `offset ${first} on: retention deleted ${lost} change(s) before finsync read them, and they were never applied. ` +
        `Take a new snapshot of the source (docs/cdc-pipeline.md, "A gap in the offsets").`;
      logger.error({ topic, partition, next, first, lost: lost.toString() }, 'offset gap: changes deleted unread');
      await raiseException(pool, {
        code: 'OFFSET_GAP',
        severity: 'ERROR',
        message,
        source: { system: systemOf(topic), table: topic, sourceId: key },
        sourceEvent: { topic, partition, nextOffset: next, firstOffsetHeld: first, groupId },
        fingerprint: ['OFFSET_GAP', groupId, key, next].join('|'),
      });
    }
  };
  let resolveJoined: () => void = () => undefined;
  const joined = new Promise<void>((resolve) => (resolveJoined = resolve));
  const onGroupJoin = (join: GroupJoin) => {
    logger.info({ memberId: join.memberId, partitions: join.assigned.length }, 'joined the consumer group');
    resolveJoined();
    if (options.instance) {
      void recordMember(pool, groupId, options.instance, join.memberId).catch((err: unknown) =>
        logger.warn({ err }, 'could not record this member id (a restart will wait for its session instead)'),
      );
    }
  };
  // A crashed predecessor of this instance is still a member until its session expires, and the group does not
  // rebalance until then: remove it now (docs/cdc-pipeline.md, "Resuming after a crash").
  if (options.instance) await evictPredecessor(pool, broker, groupId, options.instance, logger);
  void consumer
    .run(handleBatch, { startOffset, startOffsets, onGroupJoin, concurrency: options.batchesInHand ?? 32 })
    .catch((err: unknown) => logger.error({ err }, 'consumer stopped'));
  return {
    stats,
    joined,
    stop: async () => {
      clearInterval(retries);
      await consumer.stop();
      await dlq.close();
    },
  };
}

/**
 * billing (customers, AR invoices, payments) and payroll (journals) refer to nothing of procurement or the ERP;
 * procurement and the ERP share the vendor golden record.
 */
const DEFAULT_LANES: readonly (readonly string[])[] = [
  ['billing', 'payroll'],
  ['procurement', 'erp'],
];

/** A batch waiting for its transaction, with what settles its kafkajs handler. */
interface Waiting {
  readonly batch: MessageBatch;
  readonly prepared: readonly PreparedMessage[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** The offset after a batch's last message: where the partition resumes. */
function nextOffset(prepared: readonly PreparedMessage[]): string {
  return (BigInt(prepared[prepared.length - 1]!.message.offset) + 1n).toString();
}

/**
 * The changes of several tables, master data first, then documents, then lines and payments; a stable sort, so
 * each table's changes keep their order.
 */
function sortParentsFirst(changes: readonly PlannedChange[]): PlannedChange[] {
  return changes
    .map((c, i) => ({ c, i, rank: c.kind === 'row' ? rankOfTarget(c.rule.target) : 3 }))
    .sort((x, y) => x.rank - y.rank || x.i - y.i)
    .map((x) => x.c);
}

/**
 * The group's stored offsets on this Kafka cluster. Offsets stored for another cluster (the broker was
 * replaced, its topics start again at 0) are ignored with a warning: using them would skip new messages,
 * while ignoring them only re-reads events, which the per-row source positions turn into no-ops.
 */
async function loadOffsets(
  pool: Pool,
  groupId: string,
  clusterId: string,
  logger: Logger,
): Promise<Map<string, string>> {
  const { rows } = await pool.query<{
    topic: string;
    partition: number;
    next_offset: string;
    cluster_id: string | null;
  }>(`select topic, partition, next_offset, cluster_id from consumer_offset where group_id = $1`, [groupId]);
  const foreign = rows.filter((r) => r.cluster_id !== null && r.cluster_id !== clusterId);
  if (foreign.length) {
    logger.warn(
      { groupId, clusterId, storedFor: [...new Set(foreign.map((r) => r.cluster_id))], partitions: foreign.length },
      'stored offsets belong to another Kafka cluster; ignoring them and re-reading (applied rows are skipped by source position)',
    );
  }
  return new Map(
    rows.filter((r) => !foreign.includes(r)).map((r) => [`${r.topic}:${r.partition}`, String(r.next_offset)]),
  );
}

/**
 * Takes, for this transaction, the lock of the vendor golden record (when vendors may be created or matched) and of
 * each named lane, always in that order (vendor first, lanes sorted), so two transactions never wait on each other
 * in a circle. Advisory locks are the database's: they hold across every CDC process of the group.
 */
async function lockLanes(
  client: PoolClient,
  vendors: boolean,
  laneKeys: readonly string[],
  scope: 'transaction' | 'session' = 'transaction',
): Promise<void> {
  const keys = [
    ...(vendors ? ['finsync-cdc-vendor-match'] : []),
    ...[...laneKeys].sort().map((k) => `finsync-cdc-lane:${k}`),
  ];
  const lock = scope === 'transaction' ? 'pg_advisory_xact_lock' : 'pg_advisory_lock';
  for (const key of keys) await client.query(`select ${lock}(hashtextextended($1, 0))`, [key]);
}

/**
 * Locks the batches' partitions' offset rows (created at 0 when new) in a fixed order and returns what is stored:
 * the next offset each partition needs, whoever applied the ones before.
 */
async function lockOffsets(
  client: PoolClient,
  groupId: string,
  clusterId: string,
  batches: readonly MessageBatch[],
): Promise<Map<string, string>> {
  const parts = [...new Map(batches.map((b) => [`${b.topic}:${b.partition}`, b])).values()].sort(
    (a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition,
  );
  const topics = parts.map((b) => b.topic);
  const partitions = parts.map((b) => b.partition);
  await client.query(
    `insert into consumer_offset (group_id, topic, partition, next_offset, cluster_id)
     select $1, t, p, 0, $4 from unnest($2::text[], $3::int[]) as x(t, p)
     on conflict (group_id, topic, partition) do nothing`,
    [groupId, topics, partitions, clusterId],
  );
  // An offset stored for another Kafka cluster (a replaced broker) says nothing about this one's topics: it counts as
  // 0, as loadOffsets ignores it, or this transaction would drop every message below it as already applied.
  const { rows } = await client.query<{ topic: string; partition: number; next_offset: string }>(
    `select c.topic, c.partition,
            case when c.cluster_id is not null and c.cluster_id <> $4 then '0' else c.next_offset::text end as next_offset
       from consumer_offset c
       join unnest($2::text[], $3::int[]) as x(t, p) on c.topic = x.t and c.partition = x.p
      where c.group_id = $1 order by c.topic, c.partition for update of c`,
    [groupId, topics, partitions, clusterId],
  );
  return new Map(rows.map((r) => [`${r.topic}:${r.partition}`, r.next_offset]));
}

/** Remembers the member id this instance joined with, for the instance's successor to evict. */
async function recordMember(pool: Pool, groupId: string, instance: string, memberId: string): Promise<void> {
  await pool.query(
    `insert into cdc_member (group_id, instance, member_id, pid, host) values ($1, $2, $3, $4, $5)
     on conflict (group_id, instance) do update
       set member_id = excluded.member_id, pid = excluded.pid, host = excluded.host, joined_at = now()`,
    [groupId, instance, memberId, process.pid, hostname()],
  );
}

/** Evicts the member the last process of this instance joined with (it is dead: this instance is starting). */
async function evictPredecessor(
  pool: Pool,
  broker: MessageBroker,
  groupId: string,
  instance: string,
  logger: Logger,
): Promise<void> {
  const { rows } = await pool.query<{ member_id: string; pid: number; host: string }>(
    `select member_id, pid, host from cdc_member where group_id = $1 and instance = $2`,
    [groupId, instance],
  );
  const predecessor = rows[0];
  if (!predecessor) return;
  try {
    await broker.evictMember(groupId, predecessor.member_id);
    logger.info(
      { instance, memberId: predecessor.member_id, pid: predecessor.pid },
      "evicted this instance's predecessor from the group",
    );
  } catch (err) {
    logger.warn({ err, instance }, "could not evict this instance's predecessor; waiting for its session to expire");
  }
}
