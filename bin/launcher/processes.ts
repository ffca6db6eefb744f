/**
 * finsync's processes as the launcher runs them, and the port scheme of their instances.
 *
 * Ports: everything hangs off one base (`FINSYNC_PORT_BASE`, default 4000): the gateway on base + 0, the
 * subgraphs on base + 101 … base + 106, the launcher's own status page on base + 90. Instance n of a process
 * (replicas, `FINSYNC_REPLICAS=gateway=2,cdc=3,posting=2`) listens on its port + 1000 · (n − 1): gateway-2 on 5000
 * (the CDC consumers and posting workers listen on nothing but their metrics). Each instance has a stable name,
 * `<process>-<n>`, in its log lines (`instance`) and its status. Every instance also serves Prometheus metrics on its
 * own port, `FINSYNC_METRICS_PORT` (runtime/metrics/metricsPorts.ts: base + 200 + k).
 */
import { metricsPortOf } from '../../runtime/metrics/metricsPorts';
import { SUBGRAPH_PORTS, type SubgraphName } from '../../subgraphs/shared/SubgraphConfig';

export interface ProcessSpec {
  /** Short name: the log column, the status page, `FINSYNC_REPLICAS`. */
  readonly name: string;
  /** TypeScript entry point, relative to the repository root. */
  readonly entry: string;
  /**
   * Whether several instances may run side by side: the gateway holds no state; CDC consumers share the change
   * topics' partitions as one Kafka consumer group (their transactions guarded in the database, docs/cdc-pipeline.md
   * "Several CDC processes"); posting workers share the posting queue by leases (docs/posting.md). The subgraphs
   * (one URL each in the gateway) and the flows run once.
   */
  readonly replicable: boolean;
  /** The environment of instance n (1-based): its ports and the addresses of the others. */
  env(instance: number): Record<string, string>;
  /** What instance n serves, for the start banner. */
  serves(instance: number): string;
}

export interface LaunchPlan {
  readonly portBase: number;
  readonly statusPort: number;
  readonly gatewayUrl: string;
  readonly processes: ReadonlyArray<{ readonly spec: ProcessSpec; readonly instances: number }>;
}

const REPLICA_PORT_STEP = 1000;
const SUBGRAPHS = Object.keys(SUBGRAPH_PORTS) as SubgraphName[];

/** Reads `FINSYNC_PORT_BASE`, `FINSYNC_REPLICAS` and the per-process port overrides; throws naming what is wrong. */
export function planLaunch(env: NodeJS.ProcessEnv = process.env): LaunchPlan {
  const portBase = parsePort('FINSYNC_PORT_BASE', env.FINSYNC_PORT_BASE ?? '4000');
  const host = env.FINSYNC_GATEWAY_HOST ?? '127.0.0.1';
  const subgraphPort = (name: SubgraphName, instance = 1): number =>
    portOf(env, `FINSYNC_${name.toUpperCase()}_PORT`, portBase + SUBGRAPH_PORTS[name] - 4000, instance);
  const gatewayPort = (instance = 1): number => portOf(env, 'FINSYNC_GATEWAY_PORT', portBase, instance);
  const subgraphUrls = Object.fromEntries(
    SUBGRAPHS.map((n) => [`FINSYNC_${n.toUpperCase()}_URL`, `http://127.0.0.1:${subgraphPort(n)}/graphql`]),
  );

  const specs: ProcessSpec[] = [
    {
      name: 'cdc',
      entry: 'cdc/main.ts',
      replicable: true,
      // Its group member id is recorded under its instance name (FINSYNC_INSTANCE, set for every process).
      env: () => ({}),
      serves: (n) => `Debezium change topics <system>.<schema>.<table> → canonical store (consumer group member ${n})`,
    },
    ...SUBGRAPHS.map((name): ProcessSpec => ({
      name,
      entry: `subgraphs/${name}/main.ts`,
      replicable: false,
      env: (n) => ({ [`FINSYNC_${name.toUpperCase()}_PORT`]: String(subgraphPort(name, n)) }),
      serves: (n) => `http://127.0.0.1:${subgraphPort(name, n)}/graphql (subgraph)`,
    })),
    {
      name: 'gateway',
      entry: 'gateway/main.ts',
      replicable: true,
      env: (n) => ({ ...subgraphUrls, FINSYNC_GATEWAY_PORT: String(gatewayPort(n)) }),
      serves: (n) => `http://${host}:${gatewayPort(n)}/graphql (HTTP and graphql-ws), /healthz, /readyz`,
    },
    {
      name: 'posting',
      entry: 'erp/main.ts',
      replicable: true,
      env: (n) => ({ FINSYNC_WORKER_ID: `posting-${n}` }),
      serves: (n) => `posting_queue → Tryton JSON-RPC (worker posting-${n})`,
    },
    {
      name: 'flows',
      entry: 'flows/main.ts',
      replicable: false,
      env: () => ({}),
      serves: () => 'VENDOR_ONBOARDING: compliance checks → ERP party → activation',
    },
  ];

  // Every instance serves its metrics on its own port (runtime/metrics/metricsPorts.ts).
  const withMetrics = specs.map((spec): ProcessSpec => ({
    ...spec,
    env: (n) => ({ ...spec.env(n), FINSYNC_METRICS_PORT: String(metricsPortOf(spec.name, n, portBase)) }),
  }));
  const replicas = parseReplicas(env.FINSYNC_REPLICAS ?? '', withMetrics);
  return {
    portBase,
    statusPort: portOf(env, 'FINSYNC_LAUNCHER_PORT', portBase + 90, 1),
    gatewayUrl: `http://${host}:${gatewayPort()}/graphql`,
    processes: withMetrics.map((spec) => ({ spec, instances: replicas.get(spec.name) ?? 1 })),
  };
}

function portOf(env: NodeJS.ProcessEnv, variable: string, fallback: number, instance: number): number {
  const base = env[variable] !== undefined ? parsePort(variable, env[variable]!) : fallback;
  return base + REPLICA_PORT_STEP * (instance - 1);
}

function parsePort(variable: string, text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`${variable}: "${text}" is not a port`);
  return port;
}

/** `gateway=2,…` → counts; refuses unknown names, counts below 1, and replicas of a process that cannot have them. */
function parseReplicas(text: string, specs: readonly ProcessSpec[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const pair of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z]+)=(\d+)$/.exec(pair);
    const spec = m && specs.find((s) => s.name === m[1]);
    if (!m || !spec) {
      throw new Error(`FINSYNC_REPLICAS: "${pair}" is not <process>=<count> (${specs.map((s) => s.name).join(', ')})`);
    }
    const count = Number(m[2]);
    if (count < 1) throw new Error(`FINSYNC_REPLICAS: ${spec.name} needs at least one instance`);
    if (count > 1 && !spec.replicable) throw new Error(`FINSYNC_REPLICAS: ${spec.name} runs as one instance for now`);
    out.set(spec.name, count);
  }
  return out;
}
