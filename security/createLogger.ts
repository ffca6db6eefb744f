import { hostname } from 'node:os';
import pino, { type DestinationStream, type Logger } from 'pino';
import { activeTraceIds } from '../runtime/tracing/tracer';

/**
 * Where secrets could turn up in a log line's fields: tokens and Authorization headers, bank accounts and tax ids,
 * passwords and connection strings (which carry them). pino replaces them before the line is written.
 */
export const REDACTED_PATHS = [
  'authorization',
  'token',
  'password',
  'iban',
  'taxId',
  'tax_id',
  'bankAccount',
  'connectionString',
  'databaseUrl',
  '*.authorization',
  '*.token',
  '*.password',
  '*.iban',
  '*.taxId',
  '*.tax_id',
  '*.bankAccount',
  '*.connectionString',
  '*.databaseUrl',
  'headers.authorization',
  '*.headers.authorization',
  'req.headers.authorization',
  'connectionParams.authorization',
  'candidate.iban',
  'candidate.taxId',
];

/**
 * The logger of a finsync process: JSON lines, secrets redacted (a test checks the paths above). Under the
 * launcher every line also names the process's instance (`FINSYNC_INSTANCE`, e.g. `cdc-1`), so that a log
 * shipper can tell replicas apart.
 */
export function createLogger(name: string, level: string, destination?: DestinationStream): Logger {
  const instance = process.env.FINSYNC_INSTANCE;
  const base = { pid: process.pid, hostname: hostname(), ...(instance ? { instance } : {}) };
  // With tracing on, a line written inside a span carries its trace_id and span_id (a no-op lookup when off).
  const options = {
    name,
    level,
    base,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    mixin: () => activeTraceIds() ?? {},
  };
  return destination ? pino(options, destination) : pino(options);
}
