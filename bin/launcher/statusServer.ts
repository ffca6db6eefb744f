/**
 * The launcher's own HTTP endpoint (127.0.0.1, port base + 90): where operations look for process health.
 *   GET /processes  every instance: state, pid, restarts, last exit and why, what it serves (JSON)
 *   GET /healthz    200 when every instance is ready, 503 otherwise (with the same JSON)
 *   GET /metrics    Prometheus: finsync_process_up, finsync_process_ready, finsync_process_restarts_total
 */
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import type { InstanceStatus } from './supervise';

export interface StatusServer {
  readonly url: string;
  /** Called on every state change of an instance. */
  update(status: InstanceStatus): void;
  close(): Promise<void>;
}

export async function startStatusServer(
  port: number,
  statuses: () => readonly InstanceStatus[],
  host = '127.0.0.1',
): Promise<StatusServer> {
  const registry = new Registry();
  const labelNames = ['process', 'instance'] as const;
  const up = new Gauge({
    name: 'finsync_process_up',
    help: 'Whether the instance is running (1) or not (0).',
    labelNames,
    registers: [registry],
  });
  const ready = new Gauge({
    name: 'finsync_process_ready',
    help: 'Whether the instance has said it serves (1) or not yet (0).',
    labelNames,
    registers: [registry],
  });
  const restarts = new Counter({
    name: 'finsync_process_restarts_total',
    help: 'Restarts of the instance after it exited unexpectedly.',
    labelNames,
    registers: [registry],
  });
  const counted = new Map<string, number>();

  const update = (s: InstanceStatus) => {
    const labels = { process: s.process, instance: s.instance };
    up.set(labels, s.state === 'starting' || s.state === 'ready' ? 1 : 0);
    ready.set(labels, s.state === 'ready' ? 1 : 0);
    const seen = counted.get(s.instance) ?? 0;
    if (s.restarts > seen) restarts.inc(labels, s.restarts - seen);
    else if (!counted.has(s.instance)) restarts.inc(labels, 0);
    counted.set(s.instance, s.restarts);
  };

  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
      return;
    }
    if (path === '/processes' || path === '/healthz') {
      const all = statuses();
      const healthy = all.every((s) => s.state === 'ready');
      res
        .writeHead(path === '/healthz' && !healthy ? 503 : 200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ healthy, processes: all }, null, 2));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `http://${host}:${port}`,
    update,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
