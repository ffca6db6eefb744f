import type { Pool, PoolClient } from 'pg';
import type { Logger } from 'pino';
import { loadReferenceCache, type ReferenceCache } from '../apply/loadReferenceCache';
import { insertAuditBatch } from '../audit/insertAuditBatch';
import type { AuditEntry } from '../audit/AuditEntry';
import { insertOutboxBatch } from '../outbox/insertOutboxBatch';
import type { OutboxEvent } from '../outbox/writeOutbox';
import { decodeMessage, type DecodeResult, type RawMessage } from '../envelope/decodeMessage';
import { SourceReferenceCache } from '../apply/SourceReferenceCache';
import { raiseException } from '../exceptions/raiseException';
import type {
  MessageBatch,
  MessageBroker,
  MessageConsumer,
  MessageProducer,
  OutgoingMessage,
} from '../kafka/MessageBroker';
import type { MappingRules } from '../mapping/loadMappingRules';
import type { ValidationRuleSet } from '../validation/validate';
import { isTransient } from './isTransient';
import type { Outcome, PipelineContext } from './PipelineContext';
import { processChange } from './processChange';

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
 * trail, outbox events, exceptions and the consumer offsets together. Each event runs under a savepoint so
 * one bad event becomes an exception without undoing the batch. Offsets live in Postgres: on start the
 * consumer seeks to them, and a message below the stored offset (redelivered after a crash between the
 * Postgres commit and the Kafka commit) is dropped, so nothing is applied twice.
 */
export async function runPipeline(options: PipelineOptions): Promise<RunningPipeline> {
  const { pool, broker, groupId, logger } = options;
  const ttl = options.referenceTtlMs ?? 30_000;
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

  await broker.createTopics([options.deadLetterTopic]);
  const dlq: MessageProducer = await broker.producer();
  const consumer: MessageConsumer = await broker.consumer({
    groupId,
    topics: options.topics,
    fromBeginning: options.startAt !== 'latest',
  });

  const handleBatch = async (batch: MessageBatch): Promise<void> => {
    const key = `${batch.topic}:${batch.partition}`;
    const from = BigInt(nextOffsets.get(key) ?? '0');
    const fresh = batch.messages.filter((m) => BigInt(m.offset) >= from);
    stats.ALREADY_APPLIED += batch.messages.length - fresh.length;
    if (!fresh.length) return;

    const client = await pool.connect();
    try {
      if (!reference || Date.now() - reference.loadedAt > ttl) reference = await loadReferenceCache(client);
      // Fast path: the whole batch without savepoints. If one event hits an error of its own (a constraint,
      // bad data), the batch is undone and redone carefully, each event under a savepoint, so that event
      // becomes an exception and the others apply.
      let counts: Partial<PipelineStats>;
      try {
        counts = await applyBatch(client, batch, fresh, reference, false);
      } catch (err) {
        if (isTransient(err)) throw err;
        logger.warn(
          { err, topic: batch.topic, partition: batch.partition },
          'an event failed; redoing the batch event by event',
        );
        counts = await applyBatch(client, batch, fresh, reference, true);
      }
      for (const [k, v] of Object.entries(counts)) stats[k as keyof PipelineStats] += v ?? 0;
      nextOffsets.set(key, (BigInt(fresh[fresh.length - 1]!.offset) + 1n).toString());
    } catch (err) {
      logger.warn(
        { err, topic: batch.topic, partition: batch.partition, transient: isTransient(err) },
        'batch failed; it will be retried',
      );
      throw err;
    } finally {
      client.release();
    }
  };

  /** Applies the messages in one transaction, with offsets, audit trail and outbox; commits or throws. */
  const applyBatch = async (
    client: PoolClient,
    batch: MessageBatch,
    messages: readonly RawMessage[],
    reference: ReferenceCache,
    careful: boolean,
  ): Promise<Partial<PipelineStats>> => {
    const counts: Partial<PipelineStats> = {};
    const trail: AuditEntry[] = [];
    const events: OutboxEvent[] = [];
    const deadLetters: OutgoingMessage[] = [];
    try {
      await client.query('begin');
      const decoded = messages.map((m) => ({ message: m, result: decodeMessage(m) }));
      const changes = decoded.flatMap(({ result }) =>
        result.ok && result.event.kind === 'change' ? [result.event] : [],
      );
      // Event by event (careful), a rolled-back savepoint could leave the cache ahead of the database.
      const sourceRefs = careful ? null : await SourceReferenceCache.prefetch(client, changes, options.mappingRules);
      for (const { message, result } of decoded) {
        const ctx: PipelineContext = {
          db: client,
          mappingRules: options.mappingRules,
          validationRules: options.validationRules,
          reference,
          sourceRefs,
          trail: [],
          events: [],
        };
        const outcome = await handleMessage(ctx, client, message, result, deadLetters, careful);
        counts[outcome] = (counts[outcome] ?? 0) + 1;
        trail.push(...ctx.trail);
        events.push(...ctx.events);
      }
      await insertAuditBatch(client, trail);
      await insertOutboxBatch(client, events);
      const next = (BigInt(messages[messages.length - 1]!.offset) + 1n).toString();
      await client.query(
        `insert into consumer_offset (group_id, topic, partition, next_offset, cluster_id) values ($1, $2, $3, $4, $5)
         on conflict (group_id, topic, partition)
         do update set next_offset = excluded.next_offset, cluster_id = excluded.cluster_id, updated_at = now()`,
        [groupId, batch.topic, batch.partition, next, clusterId],
      );
      // Dead letters go out before the commit: if producing fails the batch is retried, so none is lost
      // (a retry may publish one twice; its headers carry topic/partition/offset to deduplicate).
      if (deadLetters.length) await dlq.send(options.deadLetterTopic, deadLetters);
      await client.query('commit');
      return counts;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
  };

  const handleMessage = async (
    ctx: PipelineContext,
    client: PoolClient,
    message: RawMessage,
    decoded: DecodeResult,
    deadLetters: OutgoingMessage[],
    careful: boolean,
  ): Promise<Outcome | 'TOMBSTONE'> => {
    if (!decoded.ok) {
      await raiseException(client, {
        code: 'POISON_MESSAGE',
        message: `A message on ${message.topic} (partition ${message.partition}, offset ${message.offset}) could not be read: ${decoded.error.message.replace(/^[^:]+: /, '')}. It was moved to the dead-letter topic ${options.deadLetterTopic}.`,
        source: {
          system: message.topic.split('.')[0] ?? message.topic,
          table: message.topic,
          sourceId: `${message.partition}:${message.offset}`,
        },
        sourceEvent: {
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? null,
        },
        fingerprint: `POISON_MESSAGE|${message.topic}|${message.partition}|${message.offset}`,
      });
      deadLetters.push({
        key: message.key,
        value: message.value,
        headers: {
          'finsync-source-topic': message.topic,
          'finsync-source-partition': String(message.partition),
          'finsync-source-offset': message.offset,
          'finsync-error-code': decoded.error.code,
          'finsync-error': decoded.error.message,
        },
      });
      return 'POISON';
    }
    if (decoded.event.kind === 'tombstone') return 'TOMBSTONE';
    if (!careful) return processChange(ctx, decoded.event);
    await client.query('savepoint event');
    try {
      const outcome = await processChange(ctx, decoded.event);
      await client.query('release savepoint event');
      return outcome;
    } catch (err) {
      if (isTransient(err)) throw err;
      await client.query('rollback to savepoint event');
      // What the failed event had queued for the audit trail and the outbox is undone with it.
      ctx.trail.length = 0;
      ctx.events.length = 0;
      const e = decoded.event;
      await raiseException(client, {
        code: 'APPLY_FAILED',
        message: `A change from ${e.source.system} table ${e.source.table} (offset ${e.offset}) could not be applied: ${(err as Error).message}. Nothing of it was written; retry it once the cause is fixed.`,
        source: {
          system: e.source.system,
          table: `${e.source.schema ?? e.source.database}.${e.source.table}`,
          sourceId: `${e.topic}:${e.partition}:${e.offset}`,
        },
        sourceEvent: e,
      });
      logger.error({ err, topic: e.topic, offset: e.offset }, 'event could not be applied; exception raised');
      return 'REJECTED';
    }
  };

  const startOffset = (topic: string, partition: number) => nextOffsets.get(`${topic}:${partition}`);
  let onGroupJoin: () => void = () => undefined;
  const joined = new Promise<void>((resolve) => (onGroupJoin = resolve));
  void consumer
    .run(handleBatch, { startOffset, onGroupJoin })
    .catch((err: unknown) => logger.error({ err }, 'consumer stopped'));
  return {
    stats,
    joined,
    stop: async () => {
      await consumer.stop();
      await dlq.close();
    },
  };
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
