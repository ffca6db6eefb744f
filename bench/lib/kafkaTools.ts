/**
 * Kafka's own Java perf tools (`org.apache.kafka:kafka-tools`, resolved into `.cache/jars/kafka/` by
 * `stack/lib/jars.sh`), run as child processes with a hard time limit and their output parsed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const JAVA = '/usr/lib/jvm/java-17-openjdk-amd64/bin/java';
const JARS = path.join(REPO, '.cache', 'jars', 'kafka');
const LOG_FILE = path.join(REPO, '.run', 'logs', 'bench-kafka-tools.log');
/** Output kept per stream; the tools print a few lines, this only bounds a misbehaving run. */
const MAX_OUTPUT_CHARS = 1_000_000;

export function checkKafkaTools(): void {
  if (!existsSync(JAVA)) throw new Error(`${JAVA} not found (Debian's openjdk-17-jdk-headless)`);
  if (!existsSync(JARS) || !readdirSync(JARS).some((f) => /^kafka-tools-\d[\w.-]*\.jar$/.test(f))) {
    throw new Error(`no kafka-tools jar in ${JARS}; run: bash stack/lib/jars.sh`);
  }
}

/** Runs `java <mainClass> <args>` from the repo root; rejects on a non-zero exit or after `timeoutMs`. */
function runJava(mainClass: string, args: readonly string[], timeoutMs: number): Promise<string> {
  mkdirSync(path.dirname(LOG_FILE), { recursive: true });
  const argv = [
    `-Dlog4j2.configurationFile=${path.join(REPO, 'stack', 'kafka', 'log4j2.properties')}`,
    `-Dkafka.logs.file=${LOG_FILE}`,
    '-cp',
    `${JARS}/*`,
    mainClass,
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(JAVA, argv, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT_CHARS) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_OUTPUT_CHARS) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${mainClass}: killed after ${timeoutMs} ms; log: ${LOG_FILE}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else {
        const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-15).join('\n');
        reject(new Error(`${mainClass} exited with ${code ?? signal}; log: ${LOG_FILE}\n${tail}`));
      }
    });
  });
}

export interface ProducerPerfResult {
  readonly records: number;
  readonly recordsPerSec: number;
  /** As the tool prints it: 2^20 bytes of record payload per second. */
  readonly mbPerSec: number;
  readonly avgLatencyMs: number;
  readonly maxLatencyMs: number;
  readonly p50LatencyMs: number;
  readonly p99LatencyMs: number;
}

/**
 * `ProducerPerformance --payload-file`: every record is the file's content (one line, no key), sent
 * unthrottled. `properties` are producer configs (`--command-property k=v ...`).
 */
export async function producerPerformance(options: {
  readonly bootstrap: string;
  readonly topic: string;
  readonly records: number;
  readonly payloadFile: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
}): Promise<ProducerPerfResult> {
  const stdout = await runJava(
    'org.apache.kafka.tools.ProducerPerformance',
    [
      '--bootstrap-server',
      options.bootstrap,
      '--topic',
      options.topic,
      '--num-records',
      String(options.records),
      '--payload-file',
      options.payloadFile,
      '--throughput',
      '-1',
      '--reporting-interval',
      '600000',
      '--command-property',
      ...Object.entries(options.properties).map(([k, v]) => `${k}=${v}`),
    ],
    options.timeoutMs,
  );
  // e.g. "50000 records sent, 5960.18 records/sec (22.55 MB/sec), 904.99 ms avg latency, 1719.00 ms max latency,
  //       870 ms 50th, 1491 ms 95th, 1687 ms 99th, 1716 ms 99.9th."
  const total =
    /^(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th/m;
  const m = total.exec(stdout);
  if (!m) throw new Error(`ProducerPerformance: no summary line in its output:\n${stdout.slice(-2000)}`);
  const result: ProducerPerfResult = {
    records: Number(m[1]),
    recordsPerSec: Number(m[2]),
    mbPerSec: Number(m[3]),
    avgLatencyMs: Number(m[4]),
    maxLatencyMs: Number(m[5]),
    p50LatencyMs: Number(m[6]),
    p99LatencyMs: Number(m[8]),
  };
  if (result.records !== options.records) {
    throw new Error(`ProducerPerformance sent ${result.records} records, expected ${options.records}`);
  }
  return result;
}

export interface ConsumerPerfResult {
  readonly records: number;
  /** From the tool's start to the last record, including the group join. */
  readonly recordsPerSec: number;
  readonly mbPerSec: number;
  /** Group join (start until partitions are assigned). */
  readonly rebalanceMs: number;
  /** After the join: the steady fetch phase. */
  readonly fetchMs: number;
  readonly fetchRecordsPerSec: number;
  /** 2^20 bytes of record key + value per second, as the tool prints it. */
  readonly fetchMbPerSec: number;
  readonly totalMB: number;
}

/** `ConsumerPerformance`: a new consumer in `group` reads `records` records of `topic` from the start. */
export async function consumerPerformance(options: {
  readonly bootstrap: string;
  readonly topic: string;
  readonly group: string;
  readonly records: number;
  readonly timeoutMs: number;
}): Promise<ConsumerPerfResult> {
  const stdout = await runJava(
    'org.apache.kafka.tools.ConsumerPerformance',
    [
      '--bootstrap-server',
      options.bootstrap,
      '--topic',
      options.topic,
      '--group',
      options.group,
      '--num-records',
      String(options.records),
      // Longest gap between records before the tool gives up (it then reports what it read).
      '--timeout',
      '30000',
    ],
    options.timeoutMs,
  );
  // A header line "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ..."
  // followed by one line of values.
  const lines = stdout.split('\n').map((l) => l.trim());
  const h = lines.findIndex((l) => l.startsWith('start.time,'));
  const header = h >= 0 ? lines[h]?.split(/,\s*/) : undefined;
  const values = h >= 0 ? lines[h + 1]?.split(/,\s*/) : undefined;
  if (!header || !values || header.length !== values.length) {
    throw new Error(`ConsumerPerformance: no result table in its output:\n${stdout.slice(-2000)}`);
  }
  const field = (name: string): number => {
    const v = Number(values[header.indexOf(name)]);
    if (!header.includes(name) || !Number.isFinite(v)) throw new Error(`ConsumerPerformance: no number for ${name}`);
    return v;
  };
  const result: ConsumerPerfResult = {
    records: field('data.consumed.in.nMsg'),
    recordsPerSec: field('nMsg.sec'),
    mbPerSec: field('MB.sec'),
    rebalanceMs: field('rebalance.time.ms'),
    fetchMs: field('fetch.time.ms'),
    fetchRecordsPerSec: field('fetch.nMsg.sec'),
    fetchMbPerSec: field('fetch.MB.sec'),
    totalMB: field('data.consumed.in.MB'),
  };
  if (result.records !== options.records) {
    throw new Error(`ConsumerPerformance read ${result.records} records, expected ${options.records}`);
  }
  return result;
}
