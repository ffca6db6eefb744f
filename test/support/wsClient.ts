import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client of the gateway, as a dashboard would open one. */
export function wsClient(httpUrl: string, connectionParams: Record<string, string>): Client {
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
  });
}

/** The first `n` results of a subscription (rejects with what arrived after `timeoutMs`). */
export async function nextResults<T>(iterator: AsyncIterableIterator<T>, n: number, timeoutMs: number): Promise<T[]> {
  const out: T[] = [];
  const deadline = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`after ${timeoutMs} ms: ${JSON.stringify(out)}`)), timeoutMs).unref(),
  );
  while (out.length < n) {
    const next = await Promise.race([iterator.next(), deadline]);
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}
