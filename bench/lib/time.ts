/** Rejects when `promise` does not settle within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what()}: no result after ${Math.round(ms / 1000)} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Microseconds on the clock of `process.hrtime` (and of V8's CPU profiles) for a `performance.now()` value. */
export function hrMicros(performanceNow: number): number {
  const hr = Number(process.hrtime.bigint() / 1000n);
  return hr - (performance.now() - performanceNow) * 1000;
}
