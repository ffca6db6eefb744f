import type { SourcePosition } from './ChangeEvent';

/**
 * Orders two positions of the same source: negative when `a` comes first, 0 when equal, positive after.
 * Postgres: by commit LSN, then change LSN (Debezium's `source.sequence`); an event without a commit LSN
 * (the first after a connector start) sorts by its change LSN alone. Binlog: by file sequence number,
 * position, then row. Throws when the two positions come from different kinds of log (a broken invariant).
 */
export function comparePositions(a: SourcePosition, b: SourcePosition): number {
  if (a.kind === 'wal' && b.kind === 'wal') {
    const commit = compareBig(a.commitLsn ?? a.changeLsn, b.commitLsn ?? b.changeLsn);
    return commit !== 0 ? commit : compareBig(a.changeLsn, b.changeLsn);
  }
  if (a.kind === 'binlog' && b.kind === 'binlog') {
    return binlogFileNumber(a.file) - binlogFileNumber(b.file) || a.pos - b.pos || a.row - b.row;
  }
  throw new Error(`cannot compare a ${a.kind} position with a ${b.kind} position`);
}

function compareBig(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `mariadb-bin.000004` → 4: binlog files are numbered in the order they were written. */
function binlogFileNumber(file: string): number {
  const dot = file.lastIndexOf('.');
  return Number(file.slice(dot + 1));
}
