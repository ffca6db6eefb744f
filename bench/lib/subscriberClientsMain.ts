/**
 * The subscribers of `npm run bench -- subscribers`, in a process of their own (not the gateway's): N graphql-ws
 * clients of graphql-ws's own client, one connection each, each with its own token (subject `dashboard-<i>`, role
 * analyst, legal entity FS-US), subscribed to `invoiceStatusChanged(legalEntityId: "FS-US")`.
 *
 * Protocol on stdio: prints `READY {connected, failed}` once every client has connected (acknowledged) or failed;
 * then on a line `SENT` on stdin, waits until every connected client has the event of invoice
 * `BENCH_TARGET_NUMBER` (or lost its connection, or `BENCH_WAIT_S` passed) and prints `DONE {…}` with each receive
 * time (ms, wall clock: performance.timeOrigin + performance.now(), comparable with the parent's).
 */
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadSecurityConfig } from '../../security/SecurityConfig';
import { signDevelopmentToken } from '../../security/tokens';

const n = Number(process.env.BENCH_SUBSCRIBERS ?? 1000);
const url = process.env.BENCH_GATEWAY_URL!.replace(/^http/, 'ws');
const target = process.env.BENCH_TARGET_NUMBER!;
const waitMs = Number(process.env.BENCH_WAIT_S ?? 60) * 1000;
const QUERY = `subscription { invoiceStatusChanged(legalEntityId: "FS-US") { status invoice { number } } }`;
const OPENING_AT_ONCE = 200;

const now = () => performance.timeOrigin + performance.now();
const received = new Float64Array(n).fill(NaN);
/** 0 connecting, 1 connected, 2 never connected, 3 lost after connecting. */
const state = new Uint8Array(n);
let delivered = 0;
let finish: (() => void) | null = null;
const clients: Client[] = [];

function open(i: number, token: string): Promise<void> {
  return new Promise((resolve) => {
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: true,
      on: {
        connected: () => {
          state[i] = 1;
          resolve();
        },
        closed: () => {
          if (state[i] === 0) state[i] = 2;
          else if (state[i] === 1 && Number.isNaN(received[i])) state[i] = 3;
          resolve();
          if (state[i] === 3) finish?.();
        },
      },
    });
    clients.push(client);
    client.subscribe<{ invoiceStatusChanged: { invoice: { number: string } } }>(
      { query: QUERY },
      {
        next: (r) => {
          if (r.data?.invoiceStatusChanged.invoice.number !== target || !Number.isNaN(received[i])) return;
          received[i] = now();
          delivered += 1;
          finish?.();
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  });
}

async function main(): Promise<void> {
  const security = loadSecurityConfig(process.env);
  const tokens = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      signDevelopmentToken({ subject: `dashboard-${i}`, roles: ['analyst'], legalEntities: ['FS-US'] }, security),
    ),
  );
  for (let i = 0; i < n; i += OPENING_AT_ONCE) {
    await Promise.all(tokens.slice(i, i + OPENING_AT_ONCE).map((t, j) => open(i + j, t)));
  }
  const count = (s: number) => state.reduce((c, v) => c + (v === s ? 1 : 0), 0);
  process.stdout.write(`READY ${JSON.stringify({ connected: count(1), failed: count(2) })}\n`);
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === 'SENT') break;
  await new Promise<void>((resolve) => {
    const check = () => {
      if (delivered + count(3) >= n - count(2)) resolve();
    };
    finish = check;
    setTimeout(resolve, waitMs).unref();
    check();
  });
  const times = Array.from(received).filter((t) => !Number.isNaN(t));
  process.stdout.write(
    `DONE ${JSON.stringify({ delivered, neverConnected: count(2), lostBeforeDelivery: count(3), times })}\n`,
  );
  await Promise.all(clients.map((c) => c.dispose()));
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`subscriber clients: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
