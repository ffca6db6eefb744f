import { Pool } from 'pg';
import type { Logger } from 'pino';
import { migrateCanonicalSchema } from '../canonical-schema/migrate';
import { loadReferenceData } from '../canonical-schema/reference/loadReferenceData';
import { changeTopicPattern, type CdcConfig } from './config';
import { kafkajsBroker } from './kafka/kafkajsBroker';
import { loadMappingRules } from './mapping/loadMappingRules';
import { runOutboxRelay } from './outbox/runOutboxRelay';
import { runPipeline, type PipelineStats } from './pipeline/runPipeline';
import { loadValidationRules } from './validation/validate';

export interface RunningCdc {
  readonly stats: PipelineStats;
  readonly joined: Promise<void>;
  readonly pool: Pool;
  stop(): Promise<void>;
}

/**
 * Starts the CDC side of finsync in this process: migrates the canonical schema, loads reference data and
 * the rule sets (failing fast on an invalid rule), then runs the pipeline and the outbox relay.
 */
export async function startCdc(
  config: CdcConfig,
  logger: Logger,
  options: { startAt?: 'earliest' | 'latest' } = {},
): Promise<RunningCdc> {
  const mappingRules = loadMappingRules();
  const validationRules = loadValidationRules();
  await migrateCanonicalSchema(config.databaseUrl);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 8 });
  await loadReferenceData(pool);
  const broker = kafkajsBroker({ brokers: config.kafkaBrokers, clientId: 'finsync-cdc', logger });
  // kafkajs matches a topic pattern only against topics that exist when it subscribes: create the topic of
  // every mapped table first, so a table whose first row arrives later is not missed.
  // As many partitions as Debezium gives the topics it creates (keyed by the source row, so each row stays in order).
  await broker.createTopics(
    [...mappingRules.values()].map((r) => `${config.topicPrefix}${r.source.system}.${r.source.table}`),
    config.topicPartitions,
  );
  const topics = [changeTopicPattern(config.systems, config.topicPrefix)];
  const pipeline = await runPipeline({
    pool,
    broker,
    groupId: config.groupId,
    topics,
    deadLetterTopic: config.deadLetterTopic,
    mappingRules,
    validationRules,
    logger,
    startAt: options.startAt,
    instance: config.instance,
    topicPrefix: config.topicPrefix,
  });
  const relay = runOutboxRelay({ pool, broker, topic: config.eventsTopic, logger });
  logger.info(
    {
      groupId: config.groupId,
      topics: topics.map(String),
      mappingRules: mappingRules.size,
      validationRules: validationRules.rules.length,
    },
    'CDC pipeline running',
  );
  return {
    stats: pipeline.stats,
    joined: pipeline.joined,
    pool,
    stop: async () => {
      await pipeline.stop();
      await relay.stop();
      await pool.end();
    },
  };
}
