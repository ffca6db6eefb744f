/**
 * A federated reporting query through finsync's gateway (Hive Gateway runtime) beside the same query through
 * `@apollo/gateway` over the same six subgraph processes, in one run.
 *
 * Data: a scratch canonical database fed by the real path (seed → Debezium → CDC pipeline), `BENCH_GATEWAY_SIZE`
 * (default 110, about 230 invoices). The subgraphs run as `npm start` runs them, one process each; each gateway
 * is its own process; autocannon (this process) sends the query at a fixed concurrency. Passes alternate the two
 * gateways, `BENCH_REPEATS` each, after a warm-up of each; before measuring, both gateways must return the
 * identical response. The query: 50 invoices with vendor or customer (vendors subgraph), payments (payments
 * subgraph), journal entries (journals subgraph) and the connection's totals (invoices subgraph).
 *
 * Observability's cost (issue 14), in the same run: two more finsync gateways over the same subgraphs, one serving
 * Prometheus metrics (FINSYNC_METRICS_PORT: Hive's Prometheus plugin and finsync's gauges) and one with metrics and
 * OpenTelemetry tracing on (OTLP/HTTP to a receiver in this process that accepts and drops the spans); their
 * requests/s against the plain finsync gateway's are `observability.ratioMetrics` / `ratioMetricsAndTracing`.
 * The subgraphs are shared, so only the gateway's own tracing is measured. BENCH_GATEWAY_OBSERVABILITY=0 skips them.
 *
 * Env: BENCH_GATEWAY_CONNECTIONS (default 10), BENCH_GATEWAY_SECONDS (per pass, default 10).
 */
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import type { BenchmarkOptions, BenchmarkResult, JsonValue } from './Benchmark';
import { freePort } from './lib/childProcess';
import { startGatewayProcess, startSubgraphProcesses } from './lib/federationProcesses';
import { envInt, median, round } from './lib/stats';
import { seedCanonical } from '../test/support/seedCanonical';
import { benchToken } from './lib/benchToken';

export const description = 'federated reporting query: finsync gateway (Hive Gateway runtime) vs @apollo/gateway';

const QUERY = `query Report($prefix: String!) {
  invoices(first: 50, filter: { numberPrefix: $prefix }, sort: { field: ISSUE_DATE, direction: ASC }) {
    totalCount totals { currency count sum { amount currency } }
    edges { node {
      number status totalAmount { amount currency }
      vendor { name } customer { name }
      payments { reference status totalAmount { amount currency } }
      journalEntries { number }
    } }
  }
}`;

type Side = 'hive' | 'apollo' | 'metrics' | 'tracing';

interface Pass {
  readonly requestsPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function pass(url: string, body: string, connections: number, seconds: number): Promise<Pass> {
  const r = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: await benchToken() },
    body,
    connections,
    duration: seconds,
  });
  return {
    requestsPerSec: round(r.requests.average, 1),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

const summary = (passes: readonly Pass[]): Record<string, JsonValue> => ({
  requestsPerSec: round(median(passes.map((p) => p.requestsPerSec)), 1),
  p50Ms: median(passes.map((p) => p.p50Ms)),
  p99Ms: median(passes.map((p) => p.p99Ms)),
  runs: passes.map((p) => ({ ...p })),
});

export async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const { log, repeats } = options;
  const connections = envInt('BENCH_GATEWAY_CONNECTIONS', 10, 1, 200);
  const seconds = envInt('BENCH_GATEWAY_SECONDS', 10, 2, 300);
  const size = envInt('BENCH_GATEWAY_SIZE', 110, 10, 5_000);
  log(`seeding --size ${size} through the real pipeline…`);
  const data = await seedCanonical('benchgw', ['--size', String(size)]);
  await data.cdc.stop();
  // The benchmark's one client sends far more than a principal's default rate limit allows: lift it for both gateways.
  const env = {
    FINSYNC_DATABASE_URL: data.db.url,
    FINSYNC_EVENTS_TOPIC: data.eventsTopic,
    FINSYNC_RATE_LIMIT_PER_MINUTE: '100000000',
  };
  const subgraphs = await startSubgraphProcesses(env);
  const gateways: Array<{ stop(): Promise<void> }> = [];
  // An OTLP/HTTP receiver that accepts and drops spans: the traced gateway's exporter has somewhere to send them.
  const sink = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;
  const observability = process.env.BENCH_GATEWAY_OBSERVABILITY !== '0';
  try {
    const hive = await startGatewayProcess('gateway', 'gateway/main.ts', { ...env, ...subgraphs.urlsEnv });
    gateways.push(hive.proc);
    const apollo = await startGatewayProcess('apollo-gateway', 'bench/lib/apolloGatewayMain.ts', {
      ...env,
      ...subgraphs.urlsEnv,
    });
    gateways.push(apollo.proc);
    const observed = observability
      ? {
          metrics: await startGatewayProcess('gateway-metrics', 'gateway/main.ts', {
            ...env,
            ...subgraphs.urlsEnv,
            FINSYNC_METRICS_PORT: String(await freePort()),
          }),
          tracing: await startGatewayProcess('gateway-metrics-tracing', 'gateway/main.ts', {
            ...env,
            ...subgraphs.urlsEnv,
            FINSYNC_METRICS_PORT: String(await freePort()),
            OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
          }),
        }
      : null;
    if (observed) gateways.push(observed.metrics.proc, observed.tracing.proc);
    const body = JSON.stringify({ query: QUERY, variables: { prefix: data.prefix } });
    const answer = async (url: string) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: await benchToken() },
        body,
      });
      return (await res.json()) as { data?: { invoices: { edges: unknown[] } }; errors?: unknown };
    };
    const [h, a] = [await answer(hive.url), await answer(apollo.url)];
    if (h.errors || a.errors || JSON.stringify(h) !== JSON.stringify(a) || h.data?.invoices.edges.length !== 50) {
      throw new Error(
        `the gateways disagree or fail:\nhive ${JSON.stringify(h).slice(0, 500)}\napollo ${JSON.stringify(a).slice(0, 500)}`,
      );
    }
    if (observed) {
      const [m, t] = [await answer(observed.metrics.url), await answer(observed.tracing.url)];
      if (JSON.stringify(m) !== JSON.stringify(h) || JSON.stringify(t) !== JSON.stringify(h)) {
        throw new Error('the observed gateways answer differently from the plain one');
      }
    }
    const urls: Record<Side, string> = {
      hive: hive.url,
      apollo: apollo.url,
      metrics: observed?.metrics.url ?? '',
      tracing: observed?.tracing.url ?? '',
    };
    const sides: Side[] = observed ? ['hive', 'apollo', 'metrics', 'tracing'] : ['hive', 'apollo'];
    log('warm-up (3 s each)…');
    for (const side of sides) await pass(urls[side], body, connections, 3);
    const passes: Record<Side, Pass[]> = { hive: [], apollo: [], metrics: [], tracing: [] };
    const hivePasses = passes.hive;
    const apolloPasses = passes.apollo;
    for (let i = 0; i < repeats; i++) {
      // Rotate the order so that no side always runs first or last.
      const order = sides.map((_, k) => sides[(k + i) % sides.length]!);
      for (const side of order) {
        const p = await pass(urls[side], body, connections, seconds);
        passes[side].push(p);
        log(
          `${side} pass ${i + 1}: ${p.requestsPerSec} req/s, p50 ${p.p50Ms} ms, p99 ${p.p99Ms} ms (${p.non2xx} non-2xx, ${p.errors} errors)`,
        );
      }
    }
    const metrics = summary(hivePasses);
    const baseline = summary(apolloPasses);
    const rps = (ps: readonly Pass[]) => median(ps.map((p) => p.requestsPerSec));
    const observabilityResult: Record<string, JsonValue> | null = observed
      ? {
          metricsOn: summary(passes.metrics),
          metricsAndTracingOn: summary(passes.tracing),
          ratioMetrics: round(rps(passes.metrics) / rps(hivePasses), 3),
          ratioMetricsAndTracing: round(rps(passes.tracing) / rps(hivePasses), 3),
          notes:
            'requests/s of the finsync gateway with metrics on (FINSYNC_METRICS_PORT), and with metrics and tracing on (OTLP to a dropping receiver), ÷ the same gateway with both off; same subgraph processes (tracing off in them), medians of the same alternating passes',
        }
      : null;
    return {
      metrics: {
        ...metrics,
        gateway: 'Hive Gateway runtime (@graphql-hive/gateway-runtime)',
        connections,
        secondsPerPass: seconds,
        ...(observabilityResult ? { observability: observabilityResult } : {}),
      },
      baseline: {
        ...baseline,
        gateway: '@apollo/gateway with IntrospectAndCompose',
        connections,
        secondsPerPass: seconds,
      },
      ratio: round((metrics.requestsPerSec as number) / (baseline.requestsPerSec as number), 3),
      notes: `ratio = finsync gateway requests/s ÷ @apollo/gateway requests/s (medians of ${repeats} alternating passes of ${seconds} s at ${connections} connections). Same six subgraph processes, same query (50 invoices across four subgraphs, with totals), identical responses checked first; ${size} seeded records per source.`,
    };
  } finally {
    sink.close();
    for (const g of gateways) await g.stop();
    await subgraphs.stop();
    await data.drop();
  }
}
