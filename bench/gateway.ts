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
 * Env: BENCH_GATEWAY_CONNECTIONS (default 10), BENCH_GATEWAY_SECONDS (per pass, default 10).
 */
import autocannon from 'autocannon';
import type { BenchmarkOptions, BenchmarkResult, JsonValue } from './Benchmark';
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
  try {
    const hive = await startGatewayProcess('gateway', 'gateway/main.ts', { ...env, ...subgraphs.urlsEnv });
    gateways.push(hive.proc);
    const apollo = await startGatewayProcess('apollo-gateway', 'bench/lib/apolloGatewayMain.ts', {
      ...env,
      ...subgraphs.urlsEnv,
    });
    gateways.push(apollo.proc);
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
    log('warm-up (3 s each)…');
    await pass(hive.url, body, connections, 3);
    await pass(apollo.url, body, connections, 3);
    const hivePasses: Pass[] = [];
    const apolloPasses: Pass[] = [];
    for (let i = 0; i < repeats; i++) {
      const order = i % 2 === 0 ? (['hive', 'apollo'] as const) : (['apollo', 'hive'] as const);
      for (const side of order) {
        const p = await pass(side === 'hive' ? hive.url : apollo.url, body, connections, seconds);
        (side === 'hive' ? hivePasses : apolloPasses).push(p);
        log(
          `${side} pass ${i + 1}: ${p.requestsPerSec} req/s, p50 ${p.p50Ms} ms, p99 ${p.p99Ms} ms (${p.non2xx} non-2xx, ${p.errors} errors)`,
        );
      }
    }
    const metrics = summary(hivePasses);
    const baseline = summary(apolloPasses);
    return {
      metrics: {
        ...metrics,
        gateway: 'Hive Gateway runtime (@graphql-hive/gateway-runtime)',
        connections,
        secondsPerPass: seconds,
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
    for (const g of gateways) await g.stop();
    await subgraphs.stop();
    await data.drop();
  }
}
