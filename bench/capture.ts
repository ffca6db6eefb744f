/**
 * Capture latency: a source commit → its change event on the Kafka change topic, for the shared billing connector
 * as it runs now and for a temporary connector made from this repository's `stack/connect/connectors/billing.json`
 * (its own topic prefix, binlog client id and schema history; only `billing.invoice`; no snapshot), side by side
 * on the same updates. It measures what a connector setting (poll.interval.ms, max.batch.size) does without
 * touching the shared connectors; the temporary connector and its topics are removed at the end.
 *
 * The updates go to invoices this benchmark inserts into the billing source (numbers `PERFCAP<time>-<i>`, a customer
 * code no seed uses), `BENCH_CAPTURE_RATE` per second (default 2), `BENCH_CAPTURE_CHANGES` (default 40).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { createConnection } from 'mysql2/promise';
import type { ResultSetHeader } from 'mysql2';
import type { BenchmarkOptions, BenchmarkResult } from './Benchmark';
import { envInt, round } from './lib/stats';
import { stackEnv } from '../test/support/stackEnv';

export const description =
  'source commit → change topic: the running billing connector vs one made from the repo config (temporary)';

const CONNECT = 'http://127.0.0.1:8083';
const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const { log } = options;
  const rate = envInt('BENCH_CAPTURE_RATE', 2, 1, 500);
  const changes = envInt('BENCH_CAPTURE_CHANGES', 40, 5, 5_000);
  const stamp = Date.now();
  const name = `perfcap${stamp}`;
  const repoConfig = JSON.parse(
    readFileSync(join(__dirname, '..', 'stack', 'connect', 'connectors', 'billing.json'), 'utf8'),
  ) as Record<string, string>;
  const config: Record<string, string> = {
    ...repoConfig,
    'topic.prefix': name,
    'database.server.id': String(190_000 + (stamp % 9_000)),
    'schema.history.internal.kafka.topic': `_finsync_schema_history.${name}`,
    'table.include.list': 'billing.invoice',
    'snapshot.mode': 'no_data',
  };
  const topics = { shared: 'billing.billing.invoice', repo: `${name}.billing.invoice` };
  const billing = await createConnection({ ...stackEnv.billingMariadb });
  const kafka = new Kafka({
    clientId: 'finsync-bench',
    brokers: [...stackEnv.kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: `finsync-bench-capture-${stamp}`, maxWaitTimeInMs: 20 });
  const pending = { shared: new Map<number, number>(), repo: new Map<number, number>() };
  const seen = { shared: [] as number[], repo: [] as number[] };
  try {
    log(
      `connector ${name} from stack/connect/connectors/billing.json (poll.interval.ms ${config['poll.interval.ms'] ?? 'default'})`,
    );
    const put = await fetch(`${CONNECT}/connectors/${name}/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(config),
    });
    if (!put.ok) throw new Error(`creating the connector: ${put.status} ${await put.text()}`);
    // Running once its task is; a failed task is reported with its trace.
    for (let i = 0; ; i++) {
      const status = (await (await fetch(`${CONNECT}/connectors/${name}/status`)).json()) as {
        tasks?: Array<{ state: string; trace?: string }>;
      };
      const task = status.tasks?.[0];
      if (task?.state === 'RUNNING') break;
      if (task?.state === 'FAILED') throw new Error(`connector ${name} failed: ${task.trace?.slice(0, 2000)}`);
      if (i === 120) throw new Error(`connector ${name} not running: ${JSON.stringify(status)}`);
      await sleep(1_000);
    }
    const ids: number[] = [];
    for (let i = 0; i < 10; i++) {
      const [r] = await billing.query<ResultSetHeader>(
        `insert into invoice (customer_code, number, total, subtotal, currency, issue_date, status, legal_entity)
         values ('PERFCAP', ?, 100.00, 100.00, 'USD', curdate(), 'issued', 'FS-US')`,
        [`PERFCAP${stamp}-${i}`],
      );
      ids.push(r.insertId);
    }
    const ours = new Set(ids);
    await consumer.connect();
    // The temporary connector's topic appears with its first event (it streams once its schema snapshot is done):
    // touch our invoices until it does.
    for (let i = 0; ; i++) {
      const admin = kafka.admin();
      await admin.connect();
      const exists = (await admin.listTopics()).includes(topics.repo);
      await admin.disconnect();
      if (exists) break;
      if (i === 180) throw new Error(`${topics.repo} never appeared`);
      await billing.query(`update invoice set due_date = curdate() where id = ?`, [ids[0]]);
      await sleep(1_000);
    }
    await consumer.subscribe({ topics: [topics.shared, topics.repo], fromBeginning: false });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const at = performance.now();
        const side = topic === topics.repo ? 'repo' : 'shared';
        const id = (JSON.parse(message.value?.toString('utf8') ?? 'null') as { payload?: { after?: { id?: number } } })
          ?.payload?.after?.id;
        if (id === undefined || !ours.has(id)) return;
        const t0 = pending[side].get(id);
        if (t0 === undefined) return;
        pending[side].delete(id);
        seen[side].push(at - t0);
      },
    });
    await joined;
    await sleep(3_000);
    const start = performance.now();
    for (let i = 0; i < changes; i++) {
      const wait = start + (i * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      const id = ids[i % ids.length]!;
      await billing.query(`update invoice set due_date = date_add(curdate(), interval ? day) where id = ?`, [
        i + 1,
        id,
      ]);
      const t0 = performance.now();
      // One update per invoice in flight: with 10 invoices, a later update of the same one comes 10 changes later.
      pending.shared.set(id, t0);
      pending.repo.set(id, t0);
    }
    const deadline = performance.now() + 30_000;
    while ((pending.shared.size || pending.repo.size) && performance.now() < deadline) await sleep(200);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await fetch(`${CONNECT}/connectors/${name}`, { method: 'DELETE' }).catch(() => undefined);
    await sleep(2_000);
    const admin = kafka.admin();
    await admin.connect();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(`${name}.`) || t.endsWith(`.${name}`));
    if (mine.length) await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
    await billing.query(`delete from invoice where customer_code = 'PERFCAP' and number like ?`, [`PERFCAP${stamp}-%`]);
    await billing.end();
  }
  const stats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { received: s.length, p50Ms: round(quantile(s, 0.5), 1), p99Ms: round(quantile(s, 0.99), 1) };
  };
  const repo = stats(seen.repo);
  const shared = stats(seen.shared);
  log(
    `repo config: p50 ${repo.p50Ms} ms p99 ${repo.p99Ms} ms; shared connector: p50 ${shared.p50Ms} ms p99 ${shared.p99Ms} ms`,
  );
  return {
    metrics: {
      connector: 'stack/connect/connectors/billing.json (temporary copy)',
      ...repo,
      changes,
      changesPerSec: rate,
    },
    baseline: { connector: 'the running billing connector', ...shared },
    ratio: round(repo.p50Ms / shared.p50Ms, 3),
    notes:
      'ratio = p50 commit → change topic with the repository config ÷ the same with the running connector, on the same updates. Commit time = the return of the autocommit UPDATE; arrival = a kafkajs consumer (maxWaitTimeInMs 20) in this process.',
  };
}
