/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`) over a time window: self time per function, per
 * file or package, and per area of finsync; inclusive time of finsync's own functions. Sample timestamps
 * are microseconds of the monotonic clock that `process.hrtime` reads, so a window taken with hrtime in the
 * profiled process selects exactly the measured part.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}

interface Profile {
  readonly nodes: ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: number[];
  readonly timeDeltas: number[];
}

export interface TimeRow {
  readonly name: string;
  readonly ms: number;
  /** Of the window's wall time. */
  readonly share: number;
}

export interface ProfileSummary {
  readonly windowMs: number;
  readonly sampledMs: number;
  /** Time the main thread was not idle (JS, GC, native work). */
  readonly busyMs: number;
  readonly busyShare: number;
  readonly topSelfFunctions: TimeRow[];
  readonly topSelfFiles: TimeRow[];
  readonly areas: TimeRow[];
  /** finsync functions (cdc/, canonical-schema/) by inclusive synchronous time (the same name in one file is
   * one row: tsx's transpiled line numbers cannot tell two anonymous functions apart). */
  readonly topInclusiveFinsync: TimeRow[];
}

const REPO = path.resolve(__dirname, '..', '..');

/** A short name for a script URL: repo-relative, `node_modules/<package>`, or the node: builtin. */
function fileOf(url: string): string {
  if (!url) return '(native)';
  let p = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  if (p.startsWith('node:')) return p;
  if (p.startsWith(REPO + path.sep)) p = p.slice(REPO.length + 1);
  return p;
}

/**
 * `:line` for JavaScript files; none for TypeScript run through tsx, whose profile lines are those of the
 * transpiled code (no source maps are applied), not of the .ts file.
 */
function lineOf(file: string, lineNumber: number): string {
  return file.endsWith('.ts') ? '' : `:${lineNumber + 1}`;
}

/** The area a file belongs to, for the coarse split. */
function areaOf(file: string, functionName: string): string {
  if (file === '(native)') {
    if (functionName === '(idle)') return '(idle)';
    if (functionName === '(garbage collector)') return '(garbage collector)';
    if (functionName === '(program)') return '(program: V8/native, unattributed)';
    return '(native builtins)';
  }
  const nm = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (nm) return `node_modules/${nm[1]}`;
  if (file.startsWith('node:')) return 'node: internals';
  const top = file.split('/')[0] ?? file;
  if (top === 'cdc') return `cdc/${file.split('/')[1] ?? ''}`;
  return top;
}

export function summariseCpuProfile(
  file: string,
  window: { readonly startUs: number; readonly endUs: number },
  top = 15,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<number, number>();
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < window.startUs || t > window.endUs) continue;
    // The time until the next sample belongs to this one.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + dt);
  }

  const windowMs = (window.endUs - window.startUs) / 1000;
  const fnSelf = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  const areaSelf = new Map<string, number>();
  const finsyncInclusive = new Map<string, number>();
  let sampled = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const f = fileOf(url);
    const name = functionName || '(anonymous)';
    sampled += us;
    if (name === '(idle)') idle += us;
    const fnKey = f === '(native)' ? name : `${name} ${f}${lineOf(f, lineNumber)}`;
    fnSelf.set(fnKey, (fnSelf.get(fnKey) ?? 0) + us);
    fileSelf.set(f, (fileSelf.get(f) ?? 0) + us);
    const area = areaOf(f, name);
    areaSelf.set(area, (areaSelf.get(area) ?? 0) + us);
    // Inclusive: every distinct finsync function on the stack of this sample.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cf = byId.get(cur)!.callFrame;
      const cfile = fileOf(cf.url);
      if (!/^(cdc|canonical-schema)\//.test(cfile)) continue;
      const key = `${cf.functionName || '(anonymous)'} ${cfile}`;
      if (seen.has(key)) continue;
      seen.add(key);
      finsyncInclusive.set(key, (finsyncInclusive.get(key) ?? 0) + us);
    }
  }
  const rows = (m: Map<string, number>, n: number): TimeRow[] =>
    [...m.entries()]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({
        name,
        ms: Math.round(us / 100) / 10,
        share: Math.round((us / 1000 / windowMs) * 1000) / 1000,
      }));
  return {
    windowMs: Math.round(windowMs),
    sampledMs: Math.round(sampled / 1000),
    busyMs: Math.round((sampled - idle) / 1000),
    busyShare: Math.round(((sampled - idle) / 1000 / windowMs) * 1000) / 1000,
    topSelfFunctions: rows(fnSelf, top),
    topSelfFiles: rows(fileSelf, top),
    areas: rows(areaSelf, 40),
    topInclusiveFinsync: rows(finsyncInclusive, top),
  };
}
