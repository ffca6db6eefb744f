/**
 * Subscription fan-out: N concurrent graphql-ws subscribers on one gateway process (their clients in another
 * process, bench/lib/subscriberClientsMain.ts), each with its own token (analysts of FS-US: one security scope),
 * subscribed to `invoiceStatusChanged(legalEntityId: "FS-US") { status invoice { number } }`; one billing payment
 * settles an FS-US invoice per run. Per run: delivered count, latency from the payment's commit to each client
 * (p50 / p99 / max), the gateway's memory, the TCP connections the gateway holds to the invoices subgraph (its
 * upstream subscriptions) and the canonical database's transactions in the event's window (the subgraphs' record
 * loads; the pipeline's own apply included).
 *
 * Each N runs twice in a row: the gateway with `FINSYNC_SUBSCRIPTION_SHARING=off` (every subscriber its own
 * execution and upstream subscription: the baseline, as before) and `on` (shared executions, as finsync ships).
 * Env: BENCH_SUBSCRIBERS_RUNS (default `1000:off,1000:on,5000:off,5000:on,10000:off,10000:on`),
 * BENCH_SUBSCRIBERS_WAIT_S (default 60: how long a run waits for its deliveries).
 *
 * The CDC pipeline runs only around each run's event (from the change topics' end, a fresh group): on this shared
 * machine other sessions' seeds flow through the same change topics, and while subscribers connect (minutes at
 * 10,000) their invoices would reach every subscriber as status changes of FS-US invoices — a flood that is not the
 * one event measured, and that drops the subscribers whose client cannot keep up.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { execFileSync } from 'node:child_process';
import { Kafka, logLevel } from 'kafkajs';
import { createConnection } from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2';
import pino from 'pino';
import { loadCdcConfig } from '../cdc/config';
import { startCdc } from '../cdc/startCdc';
import type { BenchmarkOptions, BenchmarkResult, JsonValue } from './Benchmark';
import { startGatewayProcess, startSubgraphProcesses } from './lib/federationProcesses';
import { processGroupCpuMs, processGroupMemory } from './lib/processGroupMemory';
import { round } from './lib/stats';
import { seedCanonical } from '../test/support/seedCanonical';
import { stackEnv } from '../test/support/stackEnv';

export const description =
  'N graphql-ws subscribers, one event: delivered, p50/p99/max from the source commit, gateway memory, subgraph work; shared executions vs one per subscriber';

const root = join(__dirname, '..');
const now = () => performance.timeOrigin + performance.now();
const quantile = (sorted: readonly number[], q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : null;

interface RunResult {
  readonly [key: string]: JsonValue;
  readonly subscribers: number;
  readonly sharing: string;
  readonly connected: number;
  readonly neverConnected: number;
  readonly lostBeforeDelivery: number;
  readonly delivered: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  /** Commit → the settled invoice's event on the canonical events topic (the path before any subscription). */
  readonly topicMs: number | null;
  readonly subscribeSeconds: number;
  /** CPU time the gateway process and the clients' process used from the commit to the last delivery. */
  readonly gatewayCpuMs: number;
  readonly clientsCpuMs: number;
  readonly gatewayRssMiB: number;
  readonly gatewayPeakRssMiB: number;
  readonly upstreamConnections: number;
  readonly dbTransactionsInWindow: number;
}

/** Established TCP connections to `port` (the gateway's side of its connections to a subgraph). */
function connectionsTo(port: number): number {
  const out = execFileSync('ss', ['-Htn', 'state', 'established', `( dport = :${port} )`], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.trim()).length;
}

export async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const { log } = options;
  const plan = (process.env.BENCH_SUBSCRIBERS_RUNS ?? '1000:off,1000:on,5000:off,5000:on,10000:off,10000:on')
    .split(',')
    .map((r) => {
      const [n, sharing] = r.split(':');
      return { n: Number(n), sharing: sharing === 'off' ? 'off' : 'on' };
    });
  const sizes = plan.map((p) => p.n);
  const waitS = Number(process.env.BENCH_SUBSCRIBERS_WAIT_S ?? 60);
  log('seeding --size 40 through the real pipeline…');
  const data = await seedCanonical('benchsubs', ['--size', '40']);
  await data.cdc.stop();
  const env = { FINSYNC_DATABASE_URL: data.db.url, FINSYNC_EVENTS_TOPIC: data.eventsTopic };
  const subgraphs = await startSubgraphProcesses(env);
  const invoicesPort = Number(new URL(subgraphs.urlsEnv.FINSYNC_INVOICES_URL!).port);
  const billing = await createConnection({ ...stackEnv.billingMariadb });
  const runs: RunResult[] = [];
  // When each invoice's status change reached the canonical events topic (by canonical id).
  const onTopic = new Map<string, number>();
  const consumer = new Kafka({
    clientId: 'finsync-bench',
    brokers: [...stackEnv.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  }).consumer({ groupId: `finsync-bench-subscribers-${data.seed}`, maxWaitTimeInMs: 50 });
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [data.eventsTopic], fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const e = JSON.parse(message.value?.toString('utf8') ?? '{}') as { aggregateId?: string; newStatus?: string };
        if (e.aggregateId && e.newStatus === 'PAID' && !onTopic.has(e.aggregateId)) onTopic.set(e.aggregateId, now());
      },
    });
    await joined;
    const { rows: targets } = await data.pool.query<{ id: string; number: string; source_id: string }>(
      `select i.id::text, i.number, r.source_id from invoice i
         join source_reference r on r.canonical_id = i.id and r.source_table = 'billing.invoice'
        where i.number like $1 || '%' and i.legal_entity_id = 'FS-US' and i.status = 'OPEN'
          and not exists (select 1 from payment_allocation a where a.invoice_id = i.id)
        order by i.number`,
      [data.prefix],
    );
    if (targets.length < plan.length) {
      throw new Error(`only ${targets.length} open FS-US billing invoices to settle`);
    }
    const dbTransactions = async () =>
      Number(
        (
          await data.pool.query<{ n: string }>(
            `select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = current_database()`,
          )
        ).rows[0]!.n,
      );
    for (const { n, sharing } of plan) {
      {
        const target = targets[runs.length]!;
        log(`${n} subscribers, sharing ${sharing}: starting the gateway…`);
        const gateway = await startGatewayProcess(`gateway-${sharing}-${n}`, 'gateway/main.ts', {
          ...env,
          ...subgraphs.urlsEnv,
          FINSYNC_SUBSCRIPTION_SHARING: sharing,
        });
        const clients = spawn(
          join(root, 'node_modules', '.bin', 'tsx'),
          [join(root, 'bench/lib/subscriberClientsMain.ts')],
          {
            cwd: root,
            env: {
              ...process.env,
              BENCH_SUBSCRIBERS: String(n),
              BENCH_GATEWAY_URL: gateway.url,
              BENCH_TARGET_NUMBER: target.number,
              BENCH_WAIT_S: String(waitS),
            },
            detached: true,
            stdio: ['pipe', 'pipe', 'pipe'],
          },
        );
        let stderr = '';
        clients.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-4000)));
        const lines = createInterface({ input: clients.stdout })[Symbol.asyncIterator]();
        const nextLine = async (prefix: string, timeoutMs: number) => {
          const deadline = new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`no ${prefix} from the clients: ${stderr}`)), timeoutMs).unref(),
          );
          for (;;) {
            const r = await Promise.race([lines.next(), deadline]);
            if (r.done) throw new Error(`the clients ended before ${prefix}: ${stderr}`);
            if (r.value.startsWith(`${prefix} `)) return JSON.parse(r.value.slice(prefix.length + 1)) as unknown;
          }
        };
        try {
          const t = performance.now();
          const ready = (await nextLine('READY', 600_000)) as { connected: number; failed: number };
          // The upstream subscriptions are in place once the gateway's connections to the subgraph stop growing.
          let upstream = connectionsTo(invoicesPort);
          for (let stable = 0; stable < 3;) {
            await new Promise((r) => setTimeout(r, 1_000));
            const c = connectionsTo(invoicesPort);
            stable = c === upstream ? stable + 1 : 0;
            upstream = c;
          }
          const subscribeSeconds = round((performance.now() - t) / 1000, 1);
          log(`  ${ready.connected} connected (${ready.failed} refused), ${upstream} connections to the subgraph`);
          const memory = processGroupMemory(gateway.proc.pid);
          const cdc = await startCdc(
            {
              ...loadCdcConfig({}),
              databaseUrl: data.db.url,
              groupId: `finsync-bench-subscribers-${data.seed}-${runs.length}`,
              eventsTopic: data.eventsTopic,
            },
            pino({ level: 'warn' }),
            { startAt: 'latest' },
          );
          await cdc.joined;
          const tx0 = await dbTransactions();
          const cpu0 = { gateway: processGroupCpuMs(gateway.proc.pid), clients: processGroupCpuMs(clients.pid!) };
          const [[invoice]] = await billing.query<RowDataPacket[]>(
            `select customer_code, total, currency, legal_entity from invoice where id = ?`,
            [Number(target.source_id)],
          );
          await billing.query(
            `insert into payment (customer_code, invoice_id, amount, currency, paid_at, method, status, reference, legal_entity)
             values (?, ?, ?, ?, curdate(), 'wire', 'settled', ?, ?)`,
            [
              invoice!.customer_code,
              Number(target.source_id),
              invoice!.total,
              invoice!.currency,
              `${data.prefix}BENCHSUB-${runs.length}`,
              invoice!.legal_entity,
            ],
          );
          const t0 = now();
          clients.stdin.write('SENT\n');
          const done = (await nextLine('DONE', (waitS + 60) * 1000)) as {
            delivered: number;
            neverConnected: number;
            lostBeforeDelivery: number;
            times: number[];
          };
          const cpu1 = { gateway: processGroupCpuMs(gateway.proc.pid), clients: processGroupCpuMs(clients.pid!) };
          const peak = processGroupMemory(gateway.proc.pid);
          await new Promise((r) => setTimeout(r, 1_500)); // the statistics collector's interval
          const tx1 = await dbTransactions();
          await cdc.stop();
          const latencies = done.times.map((x) => x - t0).sort((a, b) => a - b);
          const r: RunResult = {
            subscribers: n,
            sharing,
            connected: ready.connected,
            neverConnected: done.neverConnected,
            lostBeforeDelivery: done.lostBeforeDelivery,
            delivered: done.delivered,
            p50Ms: latencies.length ? round(quantile(latencies, 0.5)!, 1) : null,
            p99Ms: latencies.length ? round(quantile(latencies, 0.99)!, 1) : null,
            maxMs: latencies.length ? round(latencies[latencies.length - 1]!, 1) : null,
            topicMs: onTopic.has(target.id) ? round(onTopic.get(target.id)! - t0, 1) : null,
            subscribeSeconds,
            gatewayCpuMs: cpu1.gateway - cpu0.gateway,
            clientsCpuMs: cpu1.clients - cpu0.clients,
            gatewayRssMiB: memory.rssMiB,
            gatewayPeakRssMiB: Math.max(memory.peakRssMiB, peak.peakRssMiB),
            upstreamConnections: upstream,
            dbTransactionsInWindow: tx1 - tx0 - 1,
          };
          runs.push(r);
          log(
            `  delivered ${r.delivered}/${n}, on the topic after ${r.topicMs} ms, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, max ${r.maxMs} ms; CPU ms gateway ${r.gatewayCpuMs} clients ${r.clientsCpuMs}; gateway ${r.gatewayRssMiB} MiB (peak ${r.gatewayPeakRssMiB}); ${r.dbTransactionsInWindow} db transactions`,
          );
        } finally {
          try {
            if (clients.pid) process.kill(-clients.pid, 'SIGKILL');
          } catch {
            // already gone
          }
          await gateway.proc.stop();
        }
      }
    }
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await billing.end();
    await subgraphs.stop();
    await data.drop();
  }
  const side = (sharing: string) =>
    Object.fromEntries(runs.filter((r) => r.sharing === sharing).map((r) => [`n${r.subscribers}`, r])) as JsonValue;
  // The headline: the largest N measured both ways in this run.
  const both = sizes.filter((n) => runs.some((r) => r.subscribers === n && r.sharing === 'off'));
  const largest = both.length ? Math.max(...both) : Math.max(...sizes);
  const p99 = (sharing: string) => runs.find((r) => r.sharing === sharing && r.subscribers === largest)?.p99Ms ?? null;
  const [on, off] = [p99('on'), p99('off')];
  return {
    metrics: { sharing: 'on', runs: side('on') },
    baseline: { sharing: 'off (each subscriber its own execution and upstream subscription)', runs: side('off') },
    ratio: on !== null && off ? round(on / off, 3) : 0,
    notes: `ratio = p99 commit → client with shared executions ÷ the same without sharing, at ${largest} subscribers, same run, same machine. Latency: from the return of the billing payment's autocommit to each client's receipt of the settled invoice's event (wall clocks of two processes on one machine); topicMs: the same event on the canonical events topic (Debezium, the pipeline, the outbox relay: the part no subscription setting changes). upstreamConnections: established TCP connections from the gateway to the invoices subgraph (graphql-ws, one per upstream subscription's connection). dbTransactionsInWindow: transactions of the canonical database from the commit to the last delivery (+1.5 s), the pipeline's apply of the payment included; each subgraph record load is three (scope set-up, the load, reset).`,
  };
}
