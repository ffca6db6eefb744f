/**
 * Shared executions of subscriptions: subscribers whose key is equal (operation, variables and security scope,
 * gateway/subscriptions/shareSubscriptions.ts) read one source — one execution, one upstream subscription — and
 * each gets every result the source yields from the time it joined.
 *
 * The source is read at its own pace, never a subscriber's: each result is queued per subscriber (references, no
 * copies), and a subscriber whose queue is full (a slow or dead client whose socket does not drain) is dropped —
 * `onDrop` closes its connection, the count goes up — instead of holding the others back. The source ends
 * (`return()`, the upstream subscription is unsubscribed) when its last subscriber leaves.
 */

export interface FanOutStats {
  /** Sources running now (shared executions). */
  readonly executions: number;
  /** Subscribers reading them now. */
  readonly subscribers: number;
  /** Subscribers dropped so far because their queue was full. */
  readonly dropped: number;
}

/** What starting an execution gives: a stream of results, or one result (a refusal, an invalid operation). */
export type Started<T> = AsyncIterable<T> | T;

const isAsyncIterable = <T>(v: unknown): v is AsyncIterable<T> =>
  typeof v === 'object' && v !== null && typeof (v as AsyncIterable<T>)[Symbol.asyncIterator] === 'function';

class Subscriber<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiting: ((r: IteratorResult<T>) => void) | null = null;
  private failWaiting: ((err: unknown) => void) | null = null;
  private ended = false;
  private error: unknown = null;

  constructor(
    private readonly limit: number,
    private readonly leave: (s: Subscriber<T>) => void,
  ) {}

  /** Queues a result; false when the queue is full (the subscriber is then ended by the caller). */
  push(value: T): boolean {
    if (this.ended) return true;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = this.failWaiting = null;
      resolve({ value, done: false });
      return true;
    }
    if (this.queue.length >= this.limit) return false;
    this.queue.push(value);
    return true;
  }

  /** No more results: what is queued is still delivered, then the end (or the error). */
  end(error: unknown = null): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    if (this.waiting && this.queue.length === 0) {
      const [resolve, reject] = [this.waiting, this.failWaiting!];
      this.waiting = this.failWaiting = null;
      if (error) reject(error);
      else resolve({ value: undefined, done: true });
    }
  }

  /** Ends at once, queued results discarded (dropped: too slow). */
  discard(): void {
    this.queue.length = 0;
    this.end();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.ended) {
      if (this.error) {
        const err = this.error;
        this.error = null;
        return Promise.reject(err);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failWaiting = reject;
    });
  }

  return(): Promise<IteratorResult<T>> {
    this.queue.length = 0;
    this.end();
    this.leave(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

interface Execution<T> {
  readonly subscribers: Set<Subscriber<T>>;
  readonly onDrop: Map<Subscriber<T>, () => void>;
  iterator: AsyncIterator<T> | null;
  closed: boolean;
}

interface Entry<T> {
  ready: Promise<Execution<T> | null>;
  execution: Execution<T> | null;
}

export class SubscriptionFanOut<T> {
  private readonly executions = new Map<string, Entry<T>>();
  private subscriberCount = 0;
  private droppedCount = 0;

  /** `bufferLimit`: results queued per subscriber before it is dropped. */
  constructor(private readonly bufferLimit: number) {}

  stats(): FanOutStats {
    return { executions: this.executions.size, subscribers: this.subscriberCount, dropped: this.droppedCount };
  }

  /**
   * The subscriber's stream of the execution `key`: joins the running one, or starts it with `start` (this
   * subscriber's own execution). When starting gives one result instead of a stream, that result is this caller's
   * and nothing is shared; callers that were waiting for it start their own. `onDrop` is called when the
   * subscriber is dropped for being too slow.
   */
  async subscribe(key: string, start: () => Promise<Started<T>>, onDrop: () => void): Promise<Started<T>> {
    for (let entry = this.executions.get(key); entry; entry = this.executions.get(key)) {
      const execution = await entry.ready.catch(() => null);
      if (!execution) return start();
      if (!execution.closed) return this.join(key, execution, onDrop);
      if (this.executions.get(key) === entry) this.executions.delete(key);
    }
    let single: { value: T } | null = null;
    const entry: Entry<T> = { execution: null, ready: Promise.resolve(null) };
    entry.ready = (async () => {
      const started = await start();
      if (!isAsyncIterable<T>(started)) {
        single = { value: started };
        return null;
      }
      const execution: Execution<T> = {
        subscribers: new Set(),
        onDrop: new Map(),
        iterator: started[Symbol.asyncIterator](),
        closed: false,
      };
      entry.execution = execution;
      return execution;
    })();
    this.executions.set(key, entry);
    let execution: Execution<T> | null;
    try {
      execution = await entry.ready;
    } catch (err) {
      if (this.executions.get(key) === entry) this.executions.delete(key);
      throw err;
    }
    if (!execution) {
      if (this.executions.get(key) === entry) this.executions.delete(key);
      return (single as { value: T } | null)!.value;
    }
    const mine = this.join(key, execution, onDrop);
    void this.pump(key, execution);
    return mine;
  }

  private join(key: string, execution: Execution<T>, onDrop: () => void): Subscriber<T> {
    const s = new Subscriber<T>(this.bufferLimit, (left) => this.leave(key, execution, left));
    execution.subscribers.add(s);
    execution.onDrop.set(s, onDrop);
    this.subscriberCount += 1;
    return s;
  }

  private leave(key: string, execution: Execution<T>, s: Subscriber<T>): void {
    if (!execution.subscribers.delete(s)) return;
    execution.onDrop.delete(s);
    this.subscriberCount -= 1;
    if (execution.subscribers.size === 0) {
      this.close(key, execution);
      // The upstream subscription ends with it.
      void Promise.resolve(execution.iterator?.return?.()).catch(() => undefined);
    }
  }

  /** No new subscriber joins this execution (a later one starts a new execution). */
  private close(key: string, execution: Execution<T>): void {
    execution.closed = true;
    if (this.executions.get(key)?.execution === execution) this.executions.delete(key);
  }

  /** Reads the source and queues each result for every subscriber; ends them when it ends. */
  private async pump(key: string, execution: Execution<T>): Promise<void> {
    const iterator = execution.iterator!;
    let failure: unknown = null;
    try {
      for (;;) {
        const r = await iterator.next();
        if (r.done || execution.closed) break;
        for (const s of execution.subscribers) {
          if (s.push(r.value)) continue;
          const onDrop = execution.onDrop.get(s);
          s.discard();
          this.droppedCount += 1;
          this.leave(key, execution, s);
          onDrop?.();
        }
      }
    } catch (err) {
      failure = err;
    }
    this.close(key, execution);
    for (const s of execution.subscribers) s.end(failure);
    this.subscriberCount -= execution.subscribers.size;
    execution.subscribers.clear();
    execution.onDrop.clear();
  }
}
