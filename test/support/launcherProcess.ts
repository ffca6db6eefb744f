import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { InstanceStatus } from '../../bin/launcher/supervise';
import { waitFor } from './waitFor';

const root = join(__dirname, '..', '..');
const MAX_OUTPUT_CHARS = 400_000;

export interface LauncherProcess {
  readonly pid: number;
  /** The launcher's status page, http://127.0.0.1:<port base + 90>. */
  readonly statusUrl: string;
  readonly gatewayUrl: string;
  output(): string;
  processes(): Promise<InstanceStatus[]>;
  /** Resolves once every instance says it is ready; rejects (with the output) after the timeout or on exit. */
  ready(timeoutMs: number): Promise<InstanceStatus[]>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGINT (Ctrl-C) to the launcher alone. */
  interrupt(): void;
  /** Cleanup after a failed test: SIGKILL to the launcher's whole process group. */
  kill(): void;
}

/**
 * Runs `npm start`'s entry point (`bash bin/start.sh`: install check, then the launcher) with the given environment
 * added, in a process group of its own. `portBase` moves every port (FINSYNC_PORT_BASE) away from a finsync the
 * developer may be running.
 */
export function startLauncher(env: Readonly<Record<string, string>>, portBase: number): LauncherProcess {
  const child = spawn('bash', [join(root, 'bin', 'start.sh')], {
    cwd: root,
    env: { ...process.env, FINSYNC_PORT_BASE: String(portBase), FINSYNC_LOG_FORMAT: 'json', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error('could not start bin/start.sh');
  const pid = child.pid;
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > MAX_OUTPUT_CHARS) output = output.slice(-MAX_OUTPUT_CHARS / 2);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  const statusUrl = `http://127.0.0.1:${portBase + 90}`;
  const processes = async (): Promise<InstanceStatus[]> => {
    const res = await fetch(`${statusUrl}/processes`);
    return ((await res.json()) as { processes: InstanceStatus[] }).processes;
  };
  return {
    pid,
    statusUrl,
    gatewayUrl: `http://127.0.0.1:${portBase}/graphql`,
    output: () => output,
    processes,
    exited,
    ready: (timeoutMs) =>
      waitFor(
        async () => {
          if (done) throw new Error(`the launcher exited before every process was ready; its output:\n${output}`);
          const all = await processes().catch(() => []);
          return all.length > 0 && all.every((p) => p.state === 'ready') ? all : null;
        },
        timeoutMs,
        'every finsync process to be ready',
        250,
      ).then(
        (all) => all!,
        (err: Error) => {
          throw new Error(`${err.message}\nlauncher output:\n${output.slice(-20_000)}`);
        },
      ),
    interrupt: () => process.kill(pid, 'SIGINT'),
    kill: () => {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
    },
  };
}
