/**
 * A process's scrape endpoint: GET /metrics with prom-client's default registry (every metric registered through
 * `registry.ts`, plus Node's own: CPU, memory, event-loop lag, GC). The launcher gives each instance its port in
 * `FINSYNC_METRICS_PORT` (`metricsPorts.ts`); without it (a process started alone, a test) nothing listens unless
 * asked. `FINSYNC_METRICS_HOST` (default 127.0.0.1) is where it binds.
 */
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics } from 'prom-client';
import { metricsRegistry } from './registry';

export interface MetricsEndpoint {
  readonly url: string;
  close(): Promise<void>;
}

let defaultsCollected = false;

export async function serveMetrics(port: number, host = '127.0.0.1'): Promise<MetricsEndpoint> {
  if (!defaultsCollected) {
    collectDefaultMetrics({ register: metricsRegistry });
    defaultsCollected = true;
  }
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(path === '/metrics' ? 405 : 404).end();
      return;
    }
    metricsRegistry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(text),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `http://${host}:${port}/metrics`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Serves the metrics when `FINSYNC_METRICS_PORT` names a port (the launcher sets it); otherwise does nothing. */
export async function serveMetricsFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<MetricsEndpoint | null> {
  const text = env.FINSYNC_METRICS_PORT;
  if (text === undefined || text === '' || text === 'off') return null;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`FINSYNC_METRICS_PORT: "${text}" is not a port`);
  }
  return serveMetrics(port, env.FINSYNC_METRICS_HOST ?? '127.0.0.1');
}
