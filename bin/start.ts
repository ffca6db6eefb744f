/**
 * `npm start`: finsync's main job. Brings the local stack up (unless FINSYNC_SKIP_STACK=1, e.g. under
 * docker-compose where the stack is other containers), then runs finsync's own processes, prefixes
 * their output with their names, and stops them all on SIGINT/SIGTERM or when one of them dies.
 * The CDC consumer, the five subgraphs, the gateway and the posting worker.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadGatewayConfig } from '../gateway/config';
import { SUBGRAPH_PORTS } from '../subgraphs/shared/SubgraphConfig';

interface FinsyncProcess {
  /** Short name used as the output prefix. */
  readonly name: string;
  /** TypeScript entry point, relative to the repository root. */
  readonly entry: string;
  /** What it serves, printed at start. */
  readonly listens: string;
}

const gateway = loadGatewayConfig();
const subgraphUrl = (name: keyof typeof SUBGRAPH_PORTS) =>
  gateway.subgraphs.find((s) => s.name === name)?.url ?? `http://127.0.0.1:${SUBGRAPH_PORTS[name]}/graphql`;

const PROCESSES: readonly FinsyncProcess[] = [
  { name: 'cdc', entry: 'cdc/main.ts', listens: 'Kafka 127.0.0.1:9092, Debezium topics <system>.<schema>.<table>' },
  ...(Object.keys(SUBGRAPH_PORTS) as Array<keyof typeof SUBGRAPH_PORTS>).map((name) => ({
    name,
    entry: `subgraphs/${name}/main.ts`,
    listens: `${subgraphUrl(name)} (subgraph)`,
  })),
  {
    name: 'gateway',
    entry: 'gateway/main.ts',
    listens: `http://${gateway.host}:${gateway.port}/graphql (HTTP and graphql-ws), /healthz, /readyz`,
  },
  {
    name: 'posting',
    entry: 'erp/main.ts',
    listens: 'posting_queue in Postgres → Tryton JSON-RPC http://127.0.0.1:8000',
  },
];

const root = join(__dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function startStack(): void {
  if (process.env.FINSYNC_SKIP_STACK === '1') return;
  const result = spawnSync('bash', [join(root, 'stack', 'up.sh')], { stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('finsync: the stack did not come up (see the message above); nothing started\n');
    process.exit(result.status ?? 1);
  }
}

function run(p: FinsyncProcess): ChildProcess {
  const child = spawn(tsx, [join(root, p.entry)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${p.name.padEnd(14)}| ${line}\n`));
  }
  return child;
}

function main(): void {
  startStack();
  const children = PROCESSES.map((p) => ({ p, child: run(p) }));
  process.stdout.write('\nfinsync is running:\n');
  for (const { p, child } of children) process.stdout.write(`  ${p.name.padEnd(14)} pid ${child.pid}  ${p.listens}\n`);
  process.stdout.write(`\nGraphQL gateway: http://${gateway.host}:${gateway.port}/graphql\n`);
  process.stdout.write(
    `Every request needs a bearer token; a development one: npm run -s token -- --sub you@example.com --roles controller --entities FS-EU,FS-US\n`,
  );
  process.stdout.write('Ctrl-C stops finsync (the stack keeps running; `npm run stack:down` stops it).\n\n');

  let stopping = false;
  const stopAll = (code: number): void => {
    if (stopping) return;
    stopping = true;
    for (const { child } of children) child.kill('SIGTERM');
    setTimeout(() => process.exit(code), 5_000).unref();
    Promise.all(
      children.map(({ child }) => new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)))),
    ).then(() => process.exit(code));
  };
  for (const { p, child } of children) {
    child.once('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`finsync: ${p.name} exited (${signal ?? `code ${code}`}); stopping the others\n`);
      stopAll(1);
    });
  }
  process.on('SIGINT', () => stopAll(0));
  process.on('SIGTERM', () => stopAll(0));
}

main();
