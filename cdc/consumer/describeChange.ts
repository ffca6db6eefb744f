import type { ChangeEvent } from '../envelope/ChangeEvent';

/** A one-line, log-friendly summary of a decoded change (no row values: they may hold bank details). */
export function describeChange(event: ChangeEvent): Record<string, unknown> {
  if (event.kind === 'tombstone')
    return { kind: 'tombstone', topic: event.topic, offset: event.offset, key: event.key };
  const { source } = event;
  return {
    kind: 'change',
    op: event.op,
    system: source.system,
    table: source.schema ? `${source.schema}.${source.table}` : `${source.database}.${source.table}`,
    key: event.key,
    snapshot: source.snapshot,
    position: source.position,
    topic: event.topic,
    offset: event.offset,
  };
}
