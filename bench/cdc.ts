/**
 * The CDC pipeline's apply throughput on the real stack, beside a raw ceiling measured on the same events.
 *
 *  1. Note every change topic's end offsets, seed a fresh data set into the real sources with the generator
 *     (`stack/seed/main.ts --size N --seed <fresh>`, ~6 rows per N over all tables), and wait until Debezium
 *     has written all of it (each topic grew by at least the rows the generator inserted into its table, and
 *     the end offsets stayed put for 5 s). Those offset ranges are the input of every pass.
 *  2. Alternating, BENCH_REPEATS times each:
 *     - pipeline (`lib/cdcPipelinePass.ts`): `startCdc` on a scratch canonical database, fresh group, start
 *       offsets pre-written into `consumer_offset`; events/s from the first batch to the commit of the last
 *       end offset. SQL statements are counted and timed per statement (`lib/sqlRecorder.ts`).
 *     - ceiling (`lib/cdcRawPass.ts`): kafkajs eachBatch over the same ranges, JSON.parse, one multi-row
 *       insert of the raw values per batch into a plain table of another scratch database.
 *  3. One more pipeline pass in a child process under `node --cpu-prof`, summarised over its measured window
 *     (`lib/cpuProfile.ts`); the profile is kept in `.run/prof/bench-cdc-pipeline.cpuprofile`.
 *
 * Env: BENCH_CDC_SIZE (generator --size, default 3000), BENCH_CDC_PASS_TIMEOUT_S (per pass, default 900),
 * BENCH_CDC_CAPTURE_TIMEOUT_S (waiting for Debezium, default 300), BENCH_CDC_PROFILE=0 skips the profiled
 * pass. Needs the stack (`bash stack/up.sh`); talks only to 127.0.0.1. Creates and drops its own databases
 * (`finsync_bench_*`), topics and consumer groups (`bench-cdc-<run>-*`); the seeded rows stay in the sources,
 * under their own prefix, as every seed's do.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { Client } from 'pg';
import { changeTopicPattern, loadCdcConfig } from '../cdc/config';
import type { Manifest } from '../stack/seed/manifest';
import type { BenchmarkOptions, BenchmarkResult, JsonValue } from './Benchmark';
import { pipelinePass, type PipelinePassOptions, type PipelinePassResult } from './lib/cdcPipelinePass';
import { rawPass, type RawPassResult } from './lib/cdcRawPass';
import { summariseCpuProfile, type ProfileSummary } from './lib/cpuProfile';
import { eventsIn, type PartitionRange } from './lib/offsetRanges';
import { ADMIN_URL, dropStaleScratchDbs } from './lib/scratchDb';
import { envInt, median, round } from './lib/stats';
import { pause, within } from './lib/time';

export const description =
  'CDC pipeline apply throughput (events/s) vs raw consume + bulk insert of the same Debezium events';

const REPO = path.resolve(__dirname, '..');
const BROKERS = ['127.0.0.1:9092'];
const CONNECT_URL = 'http://127.0.0.1:8083';
const PROFILE_OUT = path.join(REPO, '.run', 'prof', 'bench-cdc-pipeline.cpuprofile');
/** The issue's target on this 2-core machine. */
const TARGET_EVENTS_PER_SEC = 5_000;
const TARGET_RATIO = 1 / 3;

/** Interfaces are not index-signature types: pass results through JSON to put them in the report. */
const json = (value: unknown): JsonValue => JSON.parse(JSON.stringify(value)) as JsonValue;

type Offsets = Map<string, { topic: string; partition: number; low: bigint; high: bigint }>;

async function endOffsets(admin: Admin, pattern: RegExp): Promise<Offsets> {
  const topics = (await admin.listTopics()).filter((t) => pattern.test(t)).sort();
  const out: Offsets = new Map();
  for (const topic of topics) {
    for (const p of await admin.fetchTopicOffsets(topic)) {
      out.set(`${topic}:${p.partition}`, { topic, partition: p.partition, low: BigInt(p.low), high: BigInt(p.high) });
    }
  }
  return out;
}

/** The commit under measurement, and whether the pipeline's code differs from it (others edit cdc/). */
function codeVersion(): { [key: string]: JsonValue } {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { cwd: REPO, encoding: 'utf8', timeout: 10_000 }).trim();
    } catch {
      return null;
    }
  };
  const dirty = git('status', '--porcelain', '--', 'cdc', 'canonical-schema');
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    uncommittedInCdcOrSchema: dirty === null ? null : dirty.split('\n').filter(Boolean).length,
  };
}

/**
 * The floor under any statement on this host: a `select 1` round trip to the stack's PostgreSQL (median of
 * 300, one connection). Every statement the pipeline sends per event costs at least this much wall time.
 */
async function roundTripMs(): Promise<number> {
  const c = new Client({ connectionString: ADMIN_URL, application_name: 'finsync-bench' });
  await c.connect();
  try {
    const times: number[] = [];
    for (let i = 0; i < 300; i++) {
      const t0 = performance.now();
      await c.query('select 1');
      times.push(performance.now() - t0);
    }
    return round(median(times.slice(20)), 3);
  } finally {
    await c.end();
  }
}

/** Every Debezium connector and task must be RUNNING, or nothing reaches the topics. */
async function checkConnectors(): Promise<string[]> {
  let body: unknown;
  try {
    const res = await fetch(`${CONNECT_URL}/connectors?expand=status`, { signal: AbortSignal.timeout(10_000) });
    body = await res.json();
  } catch (err) {
    throw new Error(`Kafka Connect does not answer on ${CONNECT_URL} (${String(err)}); run: bash stack/up.sh`);
  }
  type Status = { status?: { connector?: { state?: string }; tasks?: { state?: string }[] } };
  const entries = Object.entries((body ?? {}) as Record<string, Status>);
  const bad = entries.filter(
    ([, s]) => s.status?.connector?.state !== 'RUNNING' || (s.status.tasks ?? []).some((t) => t.state !== 'RUNNING'),
  );
  if (!entries.length || bad.length) {
    throw new Error(
      `Debezium connectors not all RUNNING (${bad.map(([n]) => n).join(', ') || 'none registered'}); run: bash stack/up.sh`,
    );
  }
  return entries.map(([name]) => name).sort();
}

async function seedSources(size: number, seed: number): Promise<Manifest> {
  await promisify(execFile)(
    path.join(REPO, 'node_modules', '.bin', 'tsx'),
    [path.join(REPO, 'stack', 'seed', 'main.ts'), '--size', String(size), '--seed', String(seed)],
    { cwd: REPO, maxBuffer: 256 * 1024 * 1024, timeout: 600_000 },
  );
  return JSON.parse(readFileSync(path.join(REPO, '.run', `seed-${seed}.json`), 'utf8')) as Manifest;
}

/** Rows the generator inserted, per Debezium topic (`billing.invoice` → `billing.billing.invoice`). */
function insertedPerTopic(manifest: Manifest): Map<string, number> {
  const out = new Map<string, number>();
  for (const [table, result] of Object.entries(manifest.run.tables)) {
    const [system, name] = table.split('.') as [string, string];
    const topic = system === 'billing' ? `billing.billing.${name}` : `${system}.public.${name}`;
    out.set(topic, (out.get(topic) ?? 0) + result.inserted);
  }
  return out;
}

/**
 * Waits until every topic has grown by at least the rows inserted into its table and the end offsets have
 * not moved for 5 s (or, if other work keeps writing to the topics, for at most 30 s after the counts were
 * reached). Returns the end offsets then.
 */
async function waitForCapture(
  admin: Admin,
  pattern: RegExp,
  before: Offsets,
  expected: Map<string, number>,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<Offsets> {
  const started = Date.now();
  let lastSignature = '';
  let stableSince = Date.now();
  let reachedAt: number | undefined;
  let lastLog = 0;
  for (;;) {
    const now = await endOffsets(admin, pattern);
    const signature = [...now.values()].map((o) => `${o.topic}:${o.partition}=${o.high}`).join(',');
    if (signature !== lastSignature) {
      lastSignature = signature;
      stableSince = Date.now();
    }
    const grown = new Map<string, number>();
    for (const [key, o] of now) {
      const start = before.get(key)?.high ?? o.low;
      grown.set(o.topic, (grown.get(o.topic) ?? 0) + Number(o.high - start));
    }
    const missing = [...expected].filter(([topic, n]) => (grown.get(topic) ?? 0) < n);
    if (!missing.length) reachedAt ??= Date.now();
    if (reachedAt !== undefined && (Date.now() - stableSince >= 5_000 || Date.now() - reachedAt >= 30_000)) return now;
    if (Date.now() - started > timeoutMs) {
      throw new Error(
        `Debezium did not write the seeded rows within ${timeoutMs / 1000} s; still missing: ` +
          missing.map(([t, n]) => `${t} ${grown.get(t) ?? 0}/${n}`).join(', '),
      );
    }
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      const have = [...grown.values()].reduce((a, b) => a + b, 0);
      const want = [...expected.values()].reduce((a, b) => a + b, 0);
      log(`waiting for Debezium: ${have}/${want} events on the topics`);
    }
    await pause(1_000);
  }
}

/** The profiled pipeline pass: a child process under `node --cpu-prof`, running `lib/cdcPipelinePass.ts`. */
async function profiledPass(
  options: PipelinePassOptions,
  log: (line: string) => void,
): Promise<{ result: PipelinePassResult; profile: ProfileSummary; profileFile: string }> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'finsync-bench-cdc-'));
  try {
    const optionsFile = path.join(tmp, 'options.json');
    const resultFile = path.join(tmp, 'result.json');
    const profDir = path.join(tmp, 'prof');
    writeFileSync(optionsFile, JSON.stringify(options));
    const child = spawn(
      process.execPath,
      [
        '--cpu-prof',
        `--cpu-prof-dir=${profDir}`,
        '-r',
        require.resolve('tsx/cjs'),
        path.join(__dirname, 'lib', 'cdcPipelinePass.ts'),
        optionsFile,
        resultFile,
      ],
      { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let tail = '';
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        tail = `${tail}\n${line}`.slice(-4_000);
        log(`  [profiled] ${line.length > 400 ? `${line.slice(0, 400)}…` : line}`);
      }
    });
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let code: number | null;
    try {
      code = await within(exit, options.timeoutMs + 120_000, () => 'the profiled pipeline pass');
    } catch (err) {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      throw err;
    }
    if (code !== 0) throw new Error(`the profiled pipeline pass exited with ${code}:${tail}`);
    const result = JSON.parse(readFileSync(resultFile, 'utf8')) as PipelinePassResult;
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('the profiled pass wrote no .cpuprofile');
    mkdirSync(path.dirname(PROFILE_OUT), { recursive: true });
    copyFileSync(path.join(profDir, file), PROFILE_OUT);
    return { result, profile: summariseCpuProfile(PROFILE_OUT, result.window), profileFile: PROFILE_OUT };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function run(options: BenchmarkOptions): Promise<BenchmarkResult> {
  const { log, repeats } = options;
  const size = envInt('BENCH_CDC_SIZE', 3_000, 1, 50_000);
  const passTimeoutMs = envInt('BENCH_CDC_PASS_TIMEOUT_S', 900, 30, 7_200) * 1000;
  const captureTimeoutMs = envInt('BENCH_CDC_CAPTURE_TIMEOUT_S', 300, 10, 3_600) * 1000;
  const withProfile = process.env.BENCH_CDC_PROFILE !== '0';
  // kafkajs's v2 partitioner notice, once per producer (the pipeline's DLQ and relay producers, every pass).
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';

  const connectors = await checkConnectors();
  const stale = await dropStaleScratchDbs();
  if (stale.length) log(`dropped ${stale.length} scratch database(s) left by earlier runs: ${stale.join(', ')}`);

  const systems = loadCdcConfig({}).systems;
  const pattern = changeTopicPattern(systems);
  const kafka = new Kafka({ clientId: 'finsync-bench-cdc', brokers: BROKERS, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await within(admin.connect(), 15_000, () => `connect to ${BROKERS.join(',')} (is the stack up? bash stack/up.sh)`);

  const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const eventsTopic = `bench-cdc-${runId}-events`;
  const deadLetterTopic = `bench-cdc-${runId}-dead-letter`;
  const groups: string[] = [];
  const loadAtStart = round(os.loadavg()[0] ?? 0, 2);
  try {
    // 1. The data set, and the offset ranges that hold exactly it.
    const before = await endOffsets(admin, pattern);
    const seed = 9_000_000 + (Date.now() % 90_000_000);
    log(`seeding --size ${size} --seed ${seed} into the sources`);
    const seedStarted = Date.now();
    const manifest = await seedSources(size, seed);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const expected = insertedPerTopic(manifest);
    const insertedRows = [...expected.values()].reduce((a, b) => a + b, 0);
    if (insertedRows === 0) throw new Error(`seed ${seed} inserted nothing (already used?)`);
    log(`seeded ${insertedRows} rows (prefix ${manifest.prefix}) in ${round(seedSeconds, 1)} s; waiting for Debezium`);
    const after = await waitForCapture(admin, pattern, before, expected, captureTimeoutMs, log);
    const captureSeconds = (Date.now() - seedStarted) / 1000 - seedSeconds;
    const ranges: PartitionRange[] = [...after.values()].map((o) => ({
      topic: o.topic,
      partition: o.partition,
      start: String(before.get(`${o.topic}:${o.partition}`)?.high ?? o.low),
      end: String(o.high),
    }));
    const events = eventsIn(ranges);
    const perTopic: { [topic: string]: JsonValue } = {};
    for (const r of ranges) {
      perTopic[`${r.topic}:${r.partition}`] = {
        start: Number(r.start),
        end: Number(r.end),
        events: Number(BigInt(r.end) - BigInt(r.start)),
        rowsInserted: expected.get(r.topic) ?? 0,
      };
    }
    log(`${events} events in ${ranges.length} partitions (generator inserted ${insertedRows} rows)`);

    const selectOneMsBefore = await roundTripMs();
    log(`select 1 round trip: ${selectOneMsBefore} ms (median)`);

    // 2. Alternating passes.
    const pipelineRuns: PipelinePassResult[] = [];
    const rawRuns: RawPassResult[] = [];
    for (let i = 0; i < repeats; i++) {
      const doPipeline = async () => {
        const groupId = `bench-cdc-${runId}-pipeline-${i}`;
        groups.push(groupId);
        const r = await pipelinePass(
          { label: `pipeline #${i + 1}`, ranges, groupId, eventsTopic, deadLetterTopic, timeoutMs: passTimeoutMs },
          log,
        );
        pipelineRuns.push(r);
        log(
          `pipeline #${i + 1}: ${r.eventsPerSec} events/s (${r.seconds} s), ${r.sql.statementsPerEvent} statements/event, ` +
            `outcomes ${JSON.stringify(r.outcomes)}`,
        );
      };
      const doRaw = async () => {
        const groupId = `bench-cdc-${runId}-raw-${i}`;
        groups.push(groupId);
        const r = await rawPass(
          { label: `ceiling #${i + 1}`, brokers: BROKERS, ranges, topics: pattern, groupId, timeoutMs: passTimeoutMs },
          log,
        );
        rawRuns.push(r);
        log(`ceiling #${i + 1}: ${r.eventsPerSec} events/s (${r.seconds} s, ${r.batches} batches)`);
      };
      for (const step of i % 2 === 0 ? [doPipeline, doRaw] : [doRaw, doPipeline]) {
        await step();
        await pause(2_000);
      }
    }

    // 3. The profiled pass.
    let profiled: Awaited<ReturnType<typeof profiledPass>> | undefined;
    if (withProfile) {
      const groupId = `bench-cdc-${runId}-profiled`;
      groups.push(groupId);
      log('profiled pipeline pass (node --cpu-prof, child process)');
      profiled = await profiledPass(
        { label: 'pipeline profiled', ranges, groupId, eventsTopic, deadLetterTopic, timeoutMs: passTimeoutMs },
        log,
      );
      log(`profiled pass: ${profiled.result.eventsPerSec} events/s; profile in ${profiled.profileFile}`);
    }

    return report({
      pipelineRuns,
      rawRuns,
      profiled,
      dataset: {
        seed,
        prefix: manifest.prefix,
        size,
        rowsInserted: insertedRows,
        events,
        // Rows other work wrote to the same tables while this seed was being captured: inside the ranges, so
        // both sides consume them too.
        eventsNotFromThisSeed: events - insertedRows,
        seedSeconds: round(seedSeconds, 1),
        captureSecondsAfterSeed: round(captureSeconds, 1),
        partitions: perTopic,
      },
      setup: {
        repeats,
        connectors,
        topicPattern: String(pattern),
        codeAtStart: codeVersion(),
        selectOneRoundTripMs: { beforePasses: selectOneMsBefore, afterPasses: await roundTripMs() },
        loadAvg1mAtStart: loadAtStart,
        loadAvg1mAtEnd: round(os.loadavg()[0] ?? 0, 2),
      },
    });
  } finally {
    await admin.deleteTopics({ topics: [eventsTopic, deadLetterTopic], timeout: 10_000 }).catch(() => undefined);
    if (groups.length) await admin.deleteGroups(groups).catch(() => undefined);
    await admin.disconnect();
  }
}

function report(input: {
  pipelineRuns: PipelinePassResult[];
  rawRuns: RawPassResult[];
  profiled: { result: PipelinePassResult; profile: ProfileSummary; profileFile: string } | undefined;
  dataset: { [key: string]: JsonValue };
  setup: { [key: string]: JsonValue };
}): BenchmarkResult {
  const { pipelineRuns, rawRuns, profiled } = input;
  const pipelineEps = median(pipelineRuns.map((r) => r.eventsPerSec));
  const rawEps = median(rawRuns.map((r) => r.eventsPerSec));
  const ratio = round(pipelineEps / rawEps, 3);
  // The statement table of the pass closest to the median.
  const typical = [...pipelineRuns].sort(
    (a, b) => Math.abs(a.eventsPerSec - pipelineEps) - Math.abs(b.eventsPerSec - pipelineEps),
  )[0]!;
  const medianOf = (values: number[], digits: number) => round(median(values), digits);
  const met = { eventsPerSec: pipelineEps >= TARGET_EVENTS_PER_SEC, ratio: ratio >= TARGET_RATIO };

  const passJson = (r: PipelinePassResult) => ({
    eventsPerSec: r.eventsPerSec,
    seconds: r.seconds,
    startupSeconds: r.startupSeconds,
    statementsPerEvent: r.sql.statementsPerEvent,
    sqlMsPerEvent: r.sql.sqlMsPerEvent,
    sqlShareOfWall: r.sql.sqlShareOfWall,
    transactions: r.sql.transactions,
    rolledBack: r.sql.rolledBack,
    relayTransactions: r.relaySql.transactions,
    // CPU per event: the pipeline process, and the Postgres backends serving its database.
    nodeCpuMsPerEvent: round((r.cpu.nodeCores * r.seconds * 1000) / r.events, 3),
    postgresCpuMsPerEvent: round((r.cpu.postgresCores * r.seconds * 1000) / r.events, 3),
    outcomes: r.outcomes,
    outcomesTotal: r.outcomesTotal,
    rowsPerEvent: r.rowsPerEvent,
    cpu: { ...r.cpu },
    loadAvg1mAtStart: r.loadAvg1mAtStart,
  });

  const profile = profiled?.profile;
  const top = (rows: { name: string; share: number }[] | undefined, n: number) =>
    (rows ?? [])
      .slice(0, n)
      .map((r) => `${r.name} ${Math.round(r.share * 1000) / 10}%`)
      .join('; ');
  const topTargets = typical.sql.byTarget
    .slice(0, 8)
    .map((t) => `${t.target} ${t.perEvent}/event ${Math.round(t.shareOfSqlTime * 100)}%`)
    .join('; ');
  const o = typical.outcomes;
  const benchShare = profile?.areas.find((a) => a.name === 'bench')?.share;
  // Self time of groups of areas, as a share of the profiled window and in ms per event.
  const group = (match: (area: string) => boolean) => {
    const share = (profile?.areas ?? []).filter((a) => match(a.name)).reduce((sum, a) => sum + a.share, 0);
    const perEvent = profile && profiled ? (share * profile.windowMs) / profiled.result.events : 0;
    return `${Math.round(share * 1000) / 10}% (${round(perEvent, 3)} ms/event)`;
  };
  const foreign = Number(input.dataset.eventsNotFromThisSeed ?? 0);
  const writev = profile?.topSelfFunctions.find((f) => f.name === 'writev')?.share ?? 0;

  const notes =
    `ratio = pipeline events/s ÷ ceiling events/s (medians of ${pipelineRuns.length} alternating passes over the ` +
    `same ${typical.events} Debezium events: one seeded data set, fixed offset ranges). Pipeline = startCdc on a ` +
    `scratch canonical DB (decode, map, references, validation, apply, source reference, audit, outbox, ` +
    `exceptions, offsets, one transaction per batch; the outbox relay running to a bench topic); ceiling = kafkajs ` +
    `eachBatch + JSON.parse + one multi-row insert of the raw values per batch into a plain table. Clocks run from ` +
    `the first batch to the commit holding the last end offset (start-up and group join excluded). ` +
    `The pipeline's kafkajs consumer is restricted to the ranges in the bench process (lib/rangeFilter.ts): ` +
    `other work writes to the same topics meanwhile` +
    (foreign > 0
      ? ` (${foreign} of the ${typical.events} events in the ranges were written by other work during the ` +
        `capture, not by this seed; both sides consume them)`
      : '') +
    `. ` +
    `Target ${TARGET_EVENTS_PER_SEC} events/s and ≥ 1/3 of the ceiling: ` +
    `${met.eventsPerSec && met.ratio ? 'MET' : 'NOT MET'} (${pipelineEps} events/s, ratio ${ratio}). ` +
    `Outcomes on arrival: ${o.APPLIED} applied, ${o.PARKED} parked, ${o.IGNORED} ignored (purchase orders), ` +
    `${o.REJECTED} rejected, ${o.SKIPPED} skipped: the pass replays a backlog and kafkajs hands over each ` +
    `partition's batches in fetch order, not in source commit order, so children (lines, payments, invoices of ` +
    `new vendors) often arrive before their parent, are parked, and are applied when the parent releases them ` +
    `(same transaction; rowsPerEvent.parked_event is what is left parked at the end, source_reference what was ` +
    `applied). SQL: ${typical.sql.statementsPerEvent} statements per event, their summed round trips ` +
    `${Math.round(typical.sql.sqlShareOfWall * 100)}% of the pipeline's wall time; by target (per event, share of ` +
    `SQL time): ${topTargets}. ` +
    (profile
      ? `CPU profile of the pipeline process over its measured window (${profile.windowMs} ms, main thread busy ` +
        `${Math.round(profile.busyShare * 100)}%): finsync's own code (cdc/, canonical-schema/) ` +
        `${group((a) => /^(cdc|canonical-schema)\b/.test(a))}, its libraries (zod, decimal.js) ` +
        `${group((a) => /node_modules\/(zod|decimal\.js)$/.test(a))}, the pg client ` +
        `${group((a) => /node_modules\/pg(-protocol|-types)?$/.test(a))}, kafkajs ` +
        `${group((a) => a === 'node_modules/kafkajs')}, GC ${group((a) => a === '(garbage collector)')}, ` +
        `writev (the socket writes that send each statement) ${Math.round(writev * 1000) / 10}%; by area ` +
        `${top(profile.areas, 8)}; top self functions ${top(profile.topSelfFunctions, 8)}. `
      : '') +
    `cpu.* are cores busy over the window (node = the pipeline process, postgres = backends of its database, ` +
    `machine = everything on this shared 2-core host). The statement counter (a wrapper on ` +
    `pg.Client.prototype.query, in every pipeline pass) is the profile's "bench" area` +
    `${benchShare !== undefined ? ` (${Math.round(benchShare * 1000) / 10}% of the window)` : ''}.`;

  return {
    metrics: {
      eventsPerSec: pipelineEps,
      seconds: medianOf(
        pipelineRuns.map((r) => r.seconds),
        3,
      ),
      events: typical.events,
      statementsPerEvent: medianOf(
        pipelineRuns.map((r) => r.sql.statementsPerEvent),
        2,
      ),
      sqlMsPerEvent: medianOf(
        pipelineRuns.map((r) => r.sql.sqlMsPerEvent),
        3,
      ),
      sqlShareOfWall: medianOf(
        pipelineRuns.map((r) => r.sql.sqlShareOfWall),
        3,
      ),
      target: {
        eventsPerSec: TARGET_EVENTS_PER_SEC,
        ratioOfCeiling: round(TARGET_RATIO, 3),
        eventsPerSecMet: met.eventsPerSec,
        ratioMet: met.ratio,
        met: met.eventsPerSec && met.ratio,
      },
      runs: {
        eventsPerSec: pipelineRuns.map((r) => r.eventsPerSec),
        seconds: pipelineRuns.map((r) => r.seconds),
      },
      passes: json(pipelineRuns.map(passJson)),
      outcomes: json(typical.outcomes),
      rowsPerEvent: json(typical.rowsPerEvent),
      sqlByTarget: json(typical.sql.byTarget),
      sqlByStatement: json(typical.sql.byStatement),
      ...(profiled
        ? {
            profile: json({
              file: path.relative(REPO, profiled.profileFile),
              pass: passJson(profiled.result),
              ...profiled.profile,
            }),
          }
        : {}),
      dataset: input.dataset,
      setup: input.setup,
    },
    baseline: {
      eventsPerSec: rawEps,
      seconds: medianOf(
        rawRuns.map((r) => r.seconds),
        3,
      ),
      runs: {
        eventsPerSec: rawRuns.map((r) => r.eventsPerSec),
        seconds: rawRuns.map((r) => r.seconds),
      },
      passes: json(
        rawRuns.map((r) => ({
          eventsPerSec: r.eventsPerSec,
          seconds: r.seconds,
          startupSeconds: r.startupSeconds,
          batches: r.batches,
          meanBatchSize: r.meanBatchSize,
          valueMiB: round(r.valueBytes / 2 ** 20, 1),
          insertMsPerEvent: r.insertMsPerEvent,
          nodeCpuMsPerEvent: round((r.cpu.nodeCores * r.seconds * 1000) / r.events, 3),
          postgresCpuMsPerEvent: round((r.cpu.postgresCores * r.seconds * 1000) / r.events, 3),
          cpu: { ...r.cpu },
          loadAvg1mAtStart: r.loadAvg1mAtStart,
        })),
      ),
    },
    ratio,
    notes,
  };
}
