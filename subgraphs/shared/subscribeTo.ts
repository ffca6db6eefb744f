import { abortableIterator } from './abortableIterator';
import type { CanonicalEvent } from './CanonicalEvent';
import type { CanonicalEventSource } from './canonicalEvents';

/**
 * A subscription's event stream: canonical events of `aggregateTypes`, each turned into a payload by `select`
 * (which loads the current record and applies the subscription's filters; null skips the event).
 */
export function subscribeTo<T>(
  source: CanonicalEventSource,
  aggregateTypes: readonly string[],
  select: (event: CanonicalEvent) => Promise<T | null>,
): AsyncIterableIterator<T> {
  return abortableIterator(async function* (signal) {
    for await (const event of source.events(aggregateTypes, signal)) {
      const payload = await select(event);
      if (payload !== null) yield payload;
    }
  });
}
