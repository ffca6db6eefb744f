/**
 * Freshness: source commit → subscription event received at a graphql-ws client of the gateway, at a steady rate
 * of changes, beside the same changes observed on the canonical events topic (the pipeline's part of the path).
 *
 * Data: a scratch canonical database fed by the real path (seed → Debezium → CDC pipeline, running in this process
 * for the whole benchmark), `BENCH_FRESHNESS_SIZE` (default 40) records per source. The five subgraphs and the
 * gateway run as processes. A client subscribes to `invoiceStatusChanged` (with `customer { name }`, a field of
 * another subgraph), a kafkajs consumer reads the run's canonical events topic; then billing invoices of the run
 * are voided and re-issued in MariaDB at `BENCH_FRESHNESS_RATE` changes/s (default 2), `BENCH_FRESHNESS_CHANGES`
 * per pass (default 40). Latency = receive time − the moment the UPDATE's autocommit returned.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { createConnection } from 'mysql2/promise';
import type { BenchmarkOptions, BenchmarkResult, JsonValue } from './Benchmark';
import { startGatewayProcess, startSubgraphProcesses } from './lib/federationProcesses';
import { envInt, median, round } from './lib/stats';
import { seedCanonical } from '../test/support/seedCanonical';
import { stackEnv } from '../test/support/stackEnv';
import { wsClient } from '../test/support/wsClient';
import { benchToken } from './lib/benchToken';

export const description =
  'source commit → graphql-ws subscription event at the gateway (p50/p99), vs → canonical events topic';

/** The value below which `q` of the sorted samples fall (nearest rank). */
const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

interface PassResult {
  readonly changes: number;
  readonly received: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly topicReceived: number;
  readonly topicP50Ms: number;
  readonly topicP99Ms: number;
}

export async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const { log, repeats } = options;
  const size = envInt('BENCH_FRESHNESS_SIZE', 40, 5, 2_000);
  const rate = envInt('BENCH_FRESHNESS_RATE', 2, 1, 500);
  const changes = envInt('BENCH_FRESHNESS_CHANGES', 40, 5, 10_000);
  log(`seeding --size ${size} through the real pipeline…`);
  const data = await seedCanonical('benchfresh', ['--size', String(size)]);
  const env = { FINSYNC_DATABASE_URL: data.db.url, FINSYNC_EVENTS_TOPIC: data.eventsTopic };
  const subgraphs = await startSubgraphProcesses(env);
  const kafka = new Kafka({
    clientId: 'finsync-bench',
    brokers: [...stackEnv.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `finsync-bench-freshness-${randomUUID()}`, maxWaitTimeInMs: 50 });
  const billing = await createConnection({ ...stackEnv.billingMariadb });
  let gatewayStop = async () => undefined as void;
  try {
    const gateway = await startGatewayProcess('gateway', 'gateway/main.ts', { ...env, ...subgraphs.urlsEnv });
    gatewayStop = () => gateway.proc.stop();
    const { rows } = await data.pool.query<{ id: string; source_id: string; number: string }>(
      `select i.id::text, r.source_id, i.number from invoice i join source_reference r on r.canonical_id = i.id
        where r.source_table = 'billing.invoice' and i.number like $1 || '%' and i.status <> 'VOID' order by i.number`,
      [data.prefix],
    );
    if (rows.length < 2) throw new Error(`only ${rows.length} billing invoices to change`);
    const byId = new Map(rows.map((r) => [r.id, r.number]));
    // Per invoice number, the commit times still waiting for their event (a void and a re-issue may be in flight).
    const pendingE2e = new Map<string, number[]>();
    const pendingTopic = new Map<string, number[]>();
    const e2e: number[] = [];
    const topic: number[] = [];
    const take = (pending: Map<string, number[]>, key: string, into: number[]) => {
      const t0 = pending.get(key)?.shift();
      if (t0 !== undefined) into.push(performance.now() - t0);
    };

    await consumer.connect();
    await consumer.subscribe({ topics: [data.eventsTopic], fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const e = JSON.parse(message.value?.toString('utf8') ?? '{}') as {
          aggregateType?: string;
          aggregateId?: string;
          oldStatus?: string;
          newStatus?: string;
        };
        const number =
          e.aggregateType === 'INVOICE' && e.oldStatus !== e.newStatus ? byId.get(e.aggregateId ?? '') : undefined;
        if (number) take(pendingTopic, number, topic);
      },
    });
    await joined;
    const client = wsClient(gateway.url, { authorization: await benchToken() });
    const sub = client.iterate<{
      invoiceStatusChanged: { invoice: { number: string; customer: { name: string } | null } };
    }>({
      query: `subscription { invoiceStatusChanged { status invoice { number customer { name } } } }`,
    });
    let closed: string | null = null;
    void (async () => {
      for await (const r of sub) {
        const number = r.data?.invoiceStatusChanged.invoice.number;
        if (number) take(pendingE2e, number, e2e);
      }
    })().catch((err: unknown) => {
      // The gateway closed the subscription (e.g. 1013: this client read too slowly); the pass reports what came.
      const e = err as { code?: number; reason?: string };
      closed = `closed ${e.code ?? ''} ${e.reason ?? String(err)}`;
      log(`subscription ${closed}`);
    });
    await new Promise((r) => setTimeout(r, 2_000)); // the subscription reaches the subgraph

    const passes: PassResult[] = [];
    const passesStartedAt = new Date();
    const voided = new Set<string>();
    let next = 0;
    for (let p = 0; p < repeats; p++) {
      e2e.length = 0;
      topic.length = 0;
      const start = performance.now();
      for (let i = 0; i < changes; i++) {
        const due = start + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const inv = rows[next++ % rows.length]!;
        const status = voided.has(inv.number) ? 'issued' : 'void';
        await billing.query(`update invoice set status = ? where id = ?`, [status, Number(inv.source_id)]);
        const t0 = performance.now();
        if (status === 'void') voided.add(inv.number);
        else voided.delete(inv.number);
        for (const m of [pendingE2e, pendingTopic]) m.set(inv.number, [...(m.get(inv.number) ?? []), t0]);
      }
      const deadline = performance.now() + 60_000;
      while ((e2e.length < changes || topic.length < changes) && performance.now() < deadline && !closed) {
        await new Promise((r) => setTimeout(r, 200));
      }
      const a = [...e2e].sort((x, y) => x - y);
      const b = [...topic].sort((x, y) => x - y);
      if (!a.length || !b.length)
        throw new Error(`pass ${p + 1}: ${a.length} subscription events, ${b.length} topic events`);
      const r: PassResult = {
        changes,
        received: a.length,
        p50Ms: round(quantile(a, 0.5), 1),
        p99Ms: round(quantile(a, 0.99), 1),
        topicReceived: b.length,
        topicP50Ms: round(quantile(b, 0.5), 1),
        topicP99Ms: round(quantile(b, 0.99), 1),
      };
      passes.push(r);
      log(
        `pass ${p + 1}: subscription p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms (${r.received}/${changes}); topic p50 ${r.topicP50Ms} ms p99 ${r.topicP99Ms} ms`,
      );
      for (const m of [pendingE2e, pendingTopic]) m.clear();
    }
    await sub.return?.();
    await client.dispose();
    // The outbox relay's share: from the apply transaction's start (created_at) to the relay's publishing
    // transaction (published_at), for the outbox rows of the passes.
    const relay = await data.pool.query<{ p50: number | null; p99: number | null; n: number }>(
      `select percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.99) within group (order by ms) as p99,
              count(*)::int as n
         from (select extract(epoch from published_at - created_at) * 1000 as ms from outbox
                where published_at is not null and created_at >= $1) t`,
      [passesStartedAt],
    );
    const med = (f: (r: PassResult) => number) => round(median(passes.map(f)), 1);
    const runs = passes.map((r) => ({ ...r })) as unknown as JsonValue;
    return {
      metrics: {
        p50Ms: med((r) => r.p50Ms),
        p99Ms: med((r) => r.p99Ms),
        changesPerSec: rate,
        outboxToPublishedP50Ms: round(Number(relay.rows[0]!.p50 ?? NaN), 1),
        outboxToPublishedP99Ms: round(Number(relay.rows[0]!.p99 ?? NaN), 1),
        outboxRows: relay.rows[0]!.n,
        changesPerPass: changes,
        runs,
      },
      baseline: {
        p50Ms: med((r) => r.topicP50Ms),
        p99Ms: med((r) => r.topicP99Ms),
        observedAt: 'canonical events topic (kafkajs consumer)',
      },
      ratio: round(med((r) => r.p50Ms) / med((r) => r.topicP50Ms), 3),
      notes: `ratio = p50 commit → subscription event at the gateway's graphql-ws client ÷ p50 commit → event on the canonical events topic (medians of ${repeats} passes of ${changes} changes at ${rate}/s). The difference is the subscription path: subgraph consumer, record load, gateway, the customer { name } entity fetch. The CDC pipeline runs in the benchmark process.`,
    };
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await billing.end();
    await gatewayStop();
    await subgraphs.stop();
    await data.drop();
  }
}
