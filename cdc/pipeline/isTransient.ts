/**
 * Whether an error is an infrastructure fault worth retrying (database or broker unreachable, a
 * deadlock, a serialization failure) rather than something wrong with one event. Transient faults are
 * retried with backoff and never dead-lettered; anything else is the event's own problem.
 */
export function isTransient(err: unknown): boolean {
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  // PostgreSQL SQLSTATE classes: 08 connection, 53 insufficient resources, 57 operator intervention
  // (admin shutdown, cannot connect now), 40001 serialization failure, 40P01 deadlock.
  if (/^(08|53|57)/.test(code) || code === '40001' || code === '40P01') return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|KafkaJS.*(Connection|Broker)/i.test(
    message,
  );
}
