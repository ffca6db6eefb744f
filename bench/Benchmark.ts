/**
 * The benchmark convention: `bench/<name>.ts` (or `bench/<name>/index.ts`) exports `run` (and optionally
 * `description`) matching `Benchmark`; `npm run bench -- <name>` runs it through `bench/run.ts`, which adds
 * the date and the machine and writes `bench/results/<name>.json`.
 */

/** A JSON value; metrics and baselines are written as they are. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface BenchmarkOptions {
  /** How many times each side (the subject and the baseline) is measured; results are medians. */
  readonly repeats: number;
  /** Progress lines for the human watching (stderr); not part of the result. */
  readonly log: (line: string) => void;
}

export interface BenchmarkResult {
  /** What was measured (medians, plus the individual runs). Top-level numbers are printed in the summary. */
  readonly metrics: { readonly [key: string]: JsonValue };
  /** The same quantities for the baseline, measured in the same run, side by side with the subject. */
  readonly baseline: { readonly [key: string]: JsonValue };
  /** Subject ÷ baseline for the benchmark's headline quantity; `notes` says which one. */
  readonly ratio: number;
  readonly notes?: string;
}

/** The shape of a benchmark module. */
export interface Benchmark {
  /** One line shown in the list of available benchmarks. */
  readonly description?: string;
  run(options: BenchmarkOptions): Promise<BenchmarkResult>;
}

/** The file `bench/run.ts` writes. */
export interface BenchmarkReport extends BenchmarkResult {
  readonly name: string;
  /** ISO 8601, when the run finished. */
  readonly date: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly node: string;
    readonly totalMemGiB: number;
  };
}
