import { SubscriptionFanOut } from './SubscriptionFanOut';

/** A source the test feeds by hand, counting how often it was started and ended (like an upstream subscription). */
function channel() {
  const state = { started: 0, ended: 0 };
  const live = new Set<{ queue: number[]; wake: (() => void) | null; ended: boolean }>();
  const push = (v: number) => {
    for (const l of live) {
      l.queue.push(v);
      l.wake?.();
    }
  };
  const source = (): AsyncIterableIterator<number> => {
    state.started += 1;
    const l = { queue: [] as number[], wake: null as (() => void) | null, ended: false };
    live.add(l);
    const it: AsyncIterableIterator<number> = {
      next: async () => {
        while (!l.queue.length && !l.ended) await new Promise<void>((r) => (l.wake = r));
        return l.ended ? { value: undefined, done: true } : { value: l.queue.shift()!, done: false };
      },
      return: async () => {
        if (!l.ended) state.ended += 1;
        l.ended = true;
        live.delete(l);
        l.wake?.();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  };
  return { push, source, state };
}

const take = async (it: AsyncIterator<number>, n: number) => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await it.next()).value as number);
  return out;
};
const tick = () => new Promise((r) => setImmediate(r));

describe('SubscriptionFanOut', () => {
  it('runs one source for every subscriber of a key, each reading every result, and ends it with the last', async () => {
    const fan = new SubscriptionFanOut<number>(8);
    const ch = channel();
    const subs = (await Promise.all(
      [1, 2, 3].map(() =>
        fan.subscribe(
          'k',
          async () => ch.source(),
          () => undefined,
        ),
      ),
    )) as Array<AsyncIterableIterator<number>>;
    expect(ch.state.started).toBe(1);
    expect(fan.stats()).toEqual({ executions: 1, subscribers: 3, dropped: 0 });
    ch.push(1);
    ch.push(2);
    expect(await Promise.all(subs.map((s) => take(s, 2)))).toEqual([
      [1, 2],
      [1, 2],
      [1, 2],
    ]);
    await subs[0]!.return!();
    await subs[1]!.return!();
    expect(ch.state.ended).toBe(0);
    await subs[2]!.return!();
    await tick();
    expect(ch.state.ended).toBe(1);
    expect(fan.stats()).toEqual({ executions: 0, subscribers: 0, dropped: 0 });
    // A later subscriber starts a new execution.
    const again = (await fan.subscribe(
      'k',
      async () => ch.source(),
      () => undefined,
    )) as AsyncIterableIterator<number>;
    expect(ch.state.started).toBe(2);
    ch.push(3);
    expect(await take(again, 1)).toEqual([3]);
    await again.return!();
  });

  it('drops a subscriber that does not read past its buffer, without holding back the others', async () => {
    const fan = new SubscriptionFanOut<number>(3);
    const ch = channel();
    let dropped = 0;
    const reader = (await fan.subscribe(
      'k',
      async () => ch.source(),
      () => undefined,
    )) as AsyncIterableIterator<number>;
    const stuck = (await fan.subscribe(
      'k',
      async () => ch.source(),
      () => (dropped += 1),
    )) as AsyncIterableIterator<number>;
    const read = take(reader, 10);
    for (let i = 1; i <= 10; i++) {
      ch.push(i);
      await tick();
    }
    expect(await read).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(dropped).toBe(1);
    expect(fan.stats()).toEqual({ executions: 1, subscribers: 1, dropped: 1 });
    // The dropped one ends (its connection is closed by onDrop), its queue discarded.
    expect(await stuck.next()).toEqual({ value: undefined, done: true });
  });

  it('shares nothing when starting gives one result (a refusal): each caller starts its own', async () => {
    const fan = new SubscriptionFanOut<{ errors: string[] }>(3);
    let starts = 0;
    const refused = async () => {
      starts += 1;
      await tick();
      return { errors: ['refused'] };
    };
    const [a, b] = await Promise.all([fan.subscribe('k', refused, () => {}), fan.subscribe('k', refused, () => {})]);
    expect([a, b, starts]).toEqual([{ errors: ['refused'] }, { errors: ['refused'] }, 2]);
    expect(fan.stats().executions).toBe(0);
  });

  it("ends every subscriber with the source's error", async () => {
    const fan = new SubscriptionFanOut<number>(3);
    const failing = async function* (): AsyncGenerator<number> {
      yield 1;
      throw new Error('upstream closed');
    };
    const subs = (await Promise.all(
      [1, 2].map(() =>
        fan.subscribe(
          'k',
          async () => failing(),
          () => {},
        ),
      ),
    )) as Array<AsyncIterableIterator<number>>;
    for (const s of subs) {
      expect(await s.next()).toEqual({ value: 1, done: false });
      await expect(s.next()).rejects.toThrow('upstream closed');
    }
    expect(fan.stats()).toEqual({ executions: 0, subscribers: 0, dropped: 0 });
  });
});
