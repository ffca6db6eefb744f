/** Polls `probe` until it returns a truthy value; rejects after `timeoutMs` with the last value seen. */
export async function waitFor<T>(
  probe: () => Promise<T>,
  timeoutMs: number,
  what: string,
  intervalMs = 1_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!last) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
    last = await probe();
  }
  return last;
}
