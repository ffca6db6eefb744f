/**
 * The CDC process (`npm start` runs it): Debezium change topics → decode → map → validate → apply into
 * the canonical store, with exceptions, parking, dead letters and the outbox relay. Logs a progress line
 * every 10 s while events flow.
 */
import { reportReady } from '../runtime/reportReady';
import { createLogger } from '../security/createLogger';
import { loadCdcConfig } from './config';
import { startCdc } from './startCdc';

async function main(): Promise<void> {
  const config = loadCdcConfig();
  const logger = createLogger('finsync-cdc', config.logLevel);
  const cdc = await startCdc(config, logger);
  reportReady(`Kafka ${config.kafkaBrokers.join(',')}, group ${config.groupId}`);
  let last = JSON.stringify(cdc.stats);
  const progress = setInterval(() => {
    const now = JSON.stringify(cdc.stats);
    if (now !== last) logger.info({ stats: cdc.stats }, 'progress');
    last = now;
  }, 10_000);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(progress);
    logger.info({ signal, stats: cdc.stats }, 'stopping');
    await cdc.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`finsync-cdc: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
