/**
 * Keeps one process instance running: spawns it, restarts it with exponential backoff when it exits on its
 * own, and gives up on it when it keeps failing right after start (a bad configuration or an unreachable
 * dependency does not go away by restarting), leaving the other instances alone. Why by hand: the supervisors on
 * npm either stop everything when one child dies (concurrently's kill-others) or count restarts without telling
 * a crash after hours of work from a failure at start (concurrently's restart-tries), or are a daemon under the
 * AGPL (pm2); the backoff itself is cockatiel's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import { isReadyMessage } from '../../runtime/reportReady';

export type InstanceState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopped';

export interface InstanceStatus {
  readonly instance: string;
  readonly process: string;
  readonly state: InstanceState;
  readonly pid: number | null;
  /** Restarts after an unexpected exit, since the launcher started. */
  readonly restarts: number;
  readonly startedAt: string | null;
  readonly readyAt: string | null;
  readonly serves: string | null;
  readonly lastExit: { readonly at: string; readonly reason: string; readonly uptimeMs: number } | null;
  /** Why the launcher gave up on it (state `failed`). */
  readonly failure: string | null;
}

export interface SupervisePolicy {
  /** An exit sooner than this after the start counts as failing at start. */
  readonly stableAfterMs: number;
  /** Consecutive failures at start after which the instance is given up on. */
  readonly maxStartFailures: number;
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** How long a stopping instance gets between SIGTERM and SIGKILL. */
  readonly stopTimeoutMs: number;
}

export const DEFAULT_POLICY: SupervisePolicy = {
  stableAfterMs: 15_000,
  maxStartFailures: 4,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  stopTimeoutMs: 10_000,
};

export interface SuperviseOptions {
  readonly instance: string;
  readonly process: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly policy: SupervisePolicy;
  /** Every line the instance writes, as written. */
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
  /** The launcher's own account of what happened to the instance (started, exited, restarting, given up). */
  onEvent(level: 'info' | 'warn' | 'error', message: string, fields: Record<string, unknown>): void;
  /** Any state change (the status page and the metrics read `status()`). */
  onChange?(status: InstanceStatus): void;
}

export interface Supervised {
  status(): InstanceStatus;
  /** The current child, for tests and signals. */
  child(): ChildProcess | null;
  /** Stops the instance (SIGTERM, SIGKILL after the timeout) and does not restart it. */
  stop(): Promise<void>;
}

const LAST_WORDS = 8;

export function supervise(o: SuperviseOptions): Supervised {
  let state: InstanceState = 'starting';
  let current: ChildProcess | null = null;
  let restarts = 0;
  let startFailures = 0;
  let startedAt: number | null = null;
  let readyAt: number | null = null;
  let serves: string | null = null;
  let lastExit: InstanceStatus['lastExit'] = null;
  let failure: string | null = null;
  let stopping = false;
  let timer: NodeJS.Timeout | null = null;
  let backoff: IBackoff<unknown> | undefined;
  const factory = new ExponentialBackoff({ initialDelay: o.policy.initialBackoffMs, maxDelay: o.policy.maxBackoffMs });
  /** The instance's last lines on stderr and error-level log lines: what it said before it died. */
  let lastWords: string[] = [];

  const status = (): InstanceStatus => ({
    instance: o.instance,
    process: o.process,
    state,
    pid: current?.pid ?? null,
    restarts,
    startedAt: startedAt === null ? null : new Date(startedAt).toISOString(),
    readyAt: readyAt === null ? null : new Date(readyAt).toISOString(),
    serves,
    lastExit,
    failure,
  });
  const changed = () => o.onChange?.(status());

  const remember = (line: string, stream: 'stdout' | 'stderr') => {
    if (stream === 'stderr' || /"level":(50|60)\b/.test(line)) {
      lastWords.push(line.length > 600 ? `${line.slice(0, 600)}…` : line);
      if (lastWords.length > LAST_WORDS) lastWords = lastWords.slice(-LAST_WORDS);
    }
  };

  const start = () => {
    timer = null;
    if (stopping) return;
    state = 'starting';
    readyAt = null;
    lastWords = [];
    startedAt = Date.now();
    const child = spawn(o.command, [...o.args], {
      cwd: o.cwd,
      env: o.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    current = child;
    for (const [stream, name] of [
      [child.stdout, 'stdout'],
      [child.stderr, 'stderr'],
    ] as const) {
      if (stream)
        createInterface({ input: stream }).on('line', (line) => {
          remember(line, name);
          o.onLine(line, name);
        });
    }
    child.on('message', (message) => {
      if (!isReadyMessage(message) || child !== current) return;
      state = 'ready';
      readyAt = Date.now();
      serves = message.serves ?? serves;
      o.onEvent('info', `${o.instance} ready`, { pid: child.pid, startupMs: readyAt - (startedAt ?? readyAt) });
      changed();
    });
    child.once('error', (err) => {
      // spawn itself failed (no such file): reported like an exit at start.
      lastWords.push(err.message);
    });
    child.once('exit', (code, signal) => onExit(child, code, signal));
    o.onEvent('info', `${o.instance} started`, { pid: child.pid, restarts });
    changed();
  };

  const onExit = (child: ChildProcess, code: number | null, signal: NodeJS.Signals | null) => {
    if (child !== current) return;
    const uptimeMs = Date.now() - (startedAt ?? Date.now());
    const reason = signal ? `killed by ${signal}` : `exit code ${code}`;
    lastExit = { at: new Date().toISOString(), reason, uptimeMs };
    current = null;
    if (stopping) {
      state = 'stopped';
      changed();
      return;
    }
    const said = lastWords.length ? lastWords.join('\n') : '(it wrote nothing on stderr)';
    if (uptimeMs < o.policy.stableAfterMs) startFailures += 1;
    else {
      startFailures = 0;
      backoff = undefined;
    }
    if (startFailures >= o.policy.maxStartFailures) {
      state = 'failed';
      failure =
        `${o.instance} failed ${startFailures} times within ${Math.round(o.policy.stableAfterMs / 1000)} s of ` +
        `starting; the launcher gave up on it (the other processes keep running). What it said last:\n${said}\n` +
        `Fix what it names (configuration: the FINSYNC_* environment; a dependency: is the stack up? ` +
        `npm run stack:up), then start finsync again.`;
      o.onEvent('error', failure, { lastExit });
      changed();
      return;
    }
    backoff = backoff ? backoff.next(undefined) : factory.next();
    const delay = backoff.duration;
    restarts += 1;
    state = 'restarting';
    o.onEvent(
      'warn',
      `${o.instance} exited unexpectedly (${reason} after ${uptimeMs} ms); restarting in ${Math.round(delay)} ms`,
      {
        lastExit,
        restarts,
        lastWords: said,
      },
    );
    changed();
    timer = setTimeout(start, delay);
  };

  start();

  return {
    status,
    child: () => current,
    stop: async () => {
      stopping = true;
      if (timer) clearTimeout(timer);
      const child = current;
      if (!child || child.exitCode !== null || child.signalCode !== null) {
        state = state === 'failed' ? 'failed' : 'stopped';
        changed();
        return;
      }
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), o.policy.stopTimeoutMs);
      await exited;
      clearTimeout(killTimer);
    },
  };
}
