/**
 * A real Prometheus (Debian's `prometheus`) that a test runs for itself: its own port, its own data directory under
 * .run/, a configuration generated from the targets the test names, finsync's alert rules loaded, scraping and
 * evaluating every second. Queried through its HTTP API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { waitFor } from './waitFor';

const root = join(__dirname, '..', '..');

export interface PrometheusServer {
  readonly url: string;
  /** Instant query: every series with its labels and value. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  /** Instant query summed to one number (0 when no series matches). */
  scalar(promql: string): Promise<number>;
  /** The firing alerts (ALERTS{alertstate="firing"}) with their labels. */
  firing(alertname: string): Promise<Array<Record<string, string>>>;
  /** Every target's health as Prometheus sees it. */
  targets(): Promise<Array<{ job: string; health: string; lastError: string }>>;
  output(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(targets: Readonly<Record<string, string>>): Promise<PrometheusServer> {
  const port = await freePort();
  const dir = join(root, '.run', `prometheus-test-${process.pid}-${port}`);
  mkdirSync(dir, { recursive: true });
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 900ms',
    '  evaluation_interval: 1s',
    'rule_files:',
    `  - ${join(root, 'stack', 'prometheus', 'finsync-rules.yml')}`,
    'scrape_configs:',
    ...Object.entries(targets).flatMap(([job, target]) => [
      `  - job_name: ${job}`,
      '    static_configs:',
      `      - targets: ['${target}']`,
    ]),
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (b: Buffer) => (output = (output + b.toString('utf8')).slice(-50_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${url}${path}`);
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${path}: ${body.error}`);
    return body.data;
  };
  await waitFor(
    () =>
      fetch(`${url}/-/ready`)
        .then((r) => r.ok)
        .catch(() => false),
    30_000,
    `prometheus on ${url} to be ready (its output: ${output.slice(-2000)})`,
    200,
  );
  const query = async (promql: string) => {
    const data = await api<{ result: Array<{ metric: Record<string, string>; value: [number, string] }> }>(
      `/api/v1/query?query=${encodeURIComponent(promql)}`,
    );
    return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
  };
  return {
    url,
    query,
    scalar: async (promql) => (await query(promql)).reduce((sum, r) => sum + r.value, 0),
    firing: async (alertname) =>
      (await query(`ALERTS{alertname="${alertname}",alertstate="firing"}`)).map((r) => r.metric),
    targets: async () =>
      (
        await api<{ activeTargets: Array<{ labels: { job: string }; health: string; lastError: string }> }>(
          '/api/v1/targets',
        )
      ).activeTargets.map((t) => ({ job: t.labels.job, health: t.health, lastError: t.lastError })),
    output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
