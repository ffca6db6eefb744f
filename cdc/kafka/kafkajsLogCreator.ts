import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from 'pino';

/**
 * kafkajs's own lines through the process's pino logger, so that every line a process writes has one shape
 * (pino's JSON: numeric level, `time`, `msg`, the process and instance) and secrets are redacted alike.
 */
export function kafkajsLogCreator(logger: Logger): logCreator {
  const child = logger.child({ component: 'kafkajs' });
  return () =>
    ({ level, log }) => {
      // pino writes its own time and names the component; the rest of kafkajs's fields are kept.
      const { message, timestamp, logger: name, ...fields } = log;
      // kafkajs logs a refused CreateTopics at error level before the admin call rejects; the caller decides what
      // it means (another process created the topic first, mostly), so the line itself is only a detail.
      if (message.startsWith('Response CreateTopics')) child.debug(fields, message);
      else if (level === logLevel.ERROR || level === logLevel.NOTHING) child.error(fields, message);
      else if (level === logLevel.WARN) child.warn(fields, message);
      else if (level === logLevel.INFO) child.info(fields, message);
      else child.debug(fields, message);
    };
}
