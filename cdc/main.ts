/**
 * The CDC consumer process: reads every Debezium change topic of the configured source systems and
 * decodes each message into a typed change event. (Mapping, validation and apply into the canonical
 * model come with the pipeline; for now each change is logged.)
 */
import pino from 'pino';
import { changeTopicPattern, loadCdcConfig } from './config';
import { decodeMessage } from './envelope/decodeMessage';
import { kafkajsBroker } from './kafka/kafkajsBroker';
import { describeChange } from './consumer/describeChange';

async function main(): Promise<void> {
  const config = loadCdcConfig();
  const logger = pino({ name: 'finsync-cdc', level: config.logLevel });
  const broker = kafkajsBroker({ brokers: config.kafkaBrokers, clientId: 'finsync-cdc' });
  const pattern = changeTopicPattern(config.systems);
  const consumer = await broker.consumer({ groupId: config.groupId, topics: [pattern], fromBeginning: true });

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await consumer.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  logger.info(
    { brokers: config.kafkaBrokers, groupId: config.groupId, topics: String(pattern) },
    'consuming Debezium change topics',
  );
  await consumer.run(async (batch) => {
    for (const message of batch.messages) {
      const result = decodeMessage(message);
      if (result.ok) logger.info(describeChange(result.event), 'change');
      else logger.warn({ topic: message.topic, offset: message.offset, code: result.error.code }, result.error.message);
    }
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`finsync-cdc: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
