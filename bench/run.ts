/**
 * Runs one benchmark and writes its result: `npm run bench -- <name>` loads `bench/<name>.ts` (or
 * `bench/<name>/index.ts`), calls its `run`, and writes `bench/results/<name>.json` (see `Benchmark.ts`).
 * Env: BENCH_REPEATS (default 3) runs per side; BENCH_TIMEOUT_S (default 1800) aborts a run that hangs.
 * An unknown or missing name lists the available benchmarks and exits 1.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Benchmark, BenchmarkReport, BenchmarkResult, JsonValue } from './Benchmark';
import { envInt, round } from './lib/stats';

const BENCH_DIR = __dirname;
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
/** Files in bench/ that are part of the convention, not benchmarks. */
const NOT_BENCHMARKS = new Set(['run', 'Benchmark']);
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Benchmark names: `bench/<name>.ts` and `bench/<name>/index.ts`. */
function availableBenchmarks(): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(BENCH_DIR, { withFileTypes: true })) {
    if (
      entry.isFile() &&
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.d.ts') &&
      !entry.name.includes('.test.')
    ) {
      const name = entry.name.slice(0, -'.ts'.length);
      if (!NOT_BENCHMARKS.has(name) && NAME.test(name)) names.push(name);
    } else if (
      entry.isDirectory() &&
      NAME.test(entry.name) &&
      existsSync(path.join(BENCH_DIR, entry.name, 'index.ts'))
    ) {
      names.push(entry.name);
    }
  }
  return names.sort();
}

function modulePath(name: string): string {
  const file = path.join(BENCH_DIR, `${name}.ts`);
  return existsSync(file) ? file : path.join(BENCH_DIR, name, 'index.ts');
}

async function loadBenchmark(name: string): Promise<Benchmark> {
  const mod: unknown = await import(modulePath(name));
  if (typeof mod !== 'object' || mod === null || typeof (mod as { run?: unknown }).run !== 'function') {
    throw new Error(`bench/${name}: the module does not export run(options)`);
  }
  return mod as Benchmark;
}

async function usage(message: string): Promise<never> {
  process.stderr.write(`${message}\nusage: npm run bench -- <name>\navailable benchmarks:\n`);
  for (const name of availableBenchmarks()) {
    let description = '';
    try {
      description = (await loadBenchmark(name)).description ?? '';
    } catch {
      description = '(does not load)';
    }
    process.stderr.write(`  ${name}${description ? `  — ${description}` : ''}\n`);
  }
  process.exit(1);
}

function checkResult(name: string, result: BenchmarkResult): void {
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(result) || !isObject(result.metrics) || !isObject(result.baseline) || !Number.isFinite(result.ratio)) {
    throw new Error(`bench/${name}: run() must resolve to { metrics, baseline, ratio: finite number, notes? }`);
  }
}

/** `key  value` lines for the top-level numbers of an object. */
function numberLines(label: string, values: { readonly [key: string]: JsonValue }): string[] {
  const lines = Object.entries(values)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([key, value]) => `    ${key.padEnd(28)} ${value.toLocaleString('en-US')}`);
  return lines.length > 0 ? [`  ${label}:`, ...lines] : [];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const name = args[0];
  if (args.length !== 1 || name === undefined) return usage('expected exactly one benchmark name');
  if (!NAME.test(name) || !availableBenchmarks().includes(name)) return usage(`unknown benchmark: ${name}`);

  const repeats = envInt('BENCH_REPEATS', 3, 1, 20);
  const timeoutS = envInt('BENCH_TIMEOUT_S', 1800, 10, 24 * 3600);
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench ${name}: no result after ${timeoutS} s (BENCH_TIMEOUT_S); aborting\n`);
    process.exit(1);
  }, timeoutS * 1000);

  const benchmark = await loadBenchmark(name);
  const log = (line: string) =>
    process.stderr.write(`[bench ${name} ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  log(`running with ${repeats} repeats per side`);
  const result = await benchmark.run({ repeats, log });
  clearTimeout(watchdog);
  checkResult(name, result);

  const cpus = os.cpus();
  const report: BenchmarkReport = {
    name,
    date: new Date().toISOString(),
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model.trim() ?? 'unknown',
      node: process.version,
      totalMemGiB: round(os.totalmem() / 2 ** 30, 1),
    },
    metrics: result.metrics,
    baseline: result.baseline,
    ratio: result.ratio,
    ...(result.notes !== undefined ? { notes: result.notes } : {}),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const out = path.join(RESULTS_DIR, `${name}.json`);
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);

  const summary = [
    `${name} — ${report.machine.cpus} × ${report.machine.cpuModel}, node ${report.machine.node}`,
    ...numberLines('metrics (medians)', report.metrics),
    ...numberLines('baseline (medians)', report.baseline),
    `  ratio: ${report.ratio}`,
    ...(report.notes !== undefined ? [`  notes: ${report.notes}`] : []),
    `  written: ${path.relative(process.cwd(), out)}`,
  ];
  process.stdout.write(`${summary.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
