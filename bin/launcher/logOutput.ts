/**
 * What the launcher prints of its processes' output. The processes write JSON lines (pino) and, when they fail
 * before their logger exists, plain text on stderr. For a person at a terminal every line becomes one readable
 * line: time, instance, level, message, correlation id when there is one, the rest of the fields. For a log
 * shipper (output not a terminal, or FINSYNC_LOG_FORMAT=json) every line is one JSON object that names its
 * process and instance; plain text is wrapped into such an object rather than passed through.
 */
import { prettyFactory } from 'pino-pretty';

export type LogFormat = 'pretty' | 'json';

export interface LogOutput {
  /** A line an instance wrote. */
  child(instance: string, process: string, line: string, stream: 'stdout' | 'stderr'): void;
  /** The launcher's own line. */
  launcher(level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
}

const LEVELS = { info: 30, warn: 40, error: 50 } as const;
const INSTANCE_WIDTH = 18;

export function chooseLogFormat(env: NodeJS.ProcessEnv, isTty: boolean): LogFormat {
  if (env.FINSYNC_LOG_FORMAT === 'json' || env.FINSYNC_LOG_FORMAT === 'pretty') return env.FINSYNC_LOG_FORMAT;
  return isTty ? 'pretty' : 'json';
}

export function createLogOutput(format: LogFormat, write: (text: string) => void, colorize = false): LogOutput {
  const pretty = prettyFactory({
    colorize,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,name,instance,process,correlationId,stream,about',
    messageFormat: (log: Record<string, unknown>, messageKey: string) => {
      const who = String(log.instance ?? log.process ?? log.name ?? '').padEnd(INSTANCE_WIDTH);
      const correlation = log.correlationId ? `[${String(log.correlationId)}] ` : '';
      return `${who}${correlation}${String(log[messageKey] ?? '')}`;
    },
  });
  const emit = (record: Record<string, unknown>) => {
    if (format === 'json') write(`${JSON.stringify(record)}\n`);
    else write(pretty(record));
  };

  return {
    child(instance, processName, line, stream) {
      const parsed = parseJsonObject(line);
      if (parsed) {
        emit({ ...parsed, process: processName, instance: parsed.instance ?? instance });
        return;
      }
      if (line.trim() === '') return;
      emit({
        level: stream === 'stderr' ? LEVELS.error : LEVELS.info,
        time: Date.now(),
        process: processName,
        instance,
        stream,
        msg: line,
      });
    },
    launcher(level, message, fields = {}) {
      emit({
        level: LEVELS[level],
        time: Date.now(),
        ...fields,
        process: 'launcher',
        instance: 'launcher',
        msg: message,
      });
    },
  };
}

function parseJsonObject(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
