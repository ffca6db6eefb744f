/**
 * An async iterator over `generate(signal)` whose `return()` (the client unsubscribed) aborts `signal` first, so a
 * generator waiting for its next event ends at once instead of at the next event.
 */
export function abortableIterator<T>(generate: (signal: AbortSignal) => AsyncGenerator<T>): AsyncIterableIterator<T> {
  const controller = new AbortController();
  const inner = generate(controller.signal);
  return {
    next: () => inner.next(),
    return: async () => {
      controller.abort();
      return inner.return(undefined);
    },
    throw: async (err: unknown) => {
      controller.abort();
      return inner.throw(err);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
