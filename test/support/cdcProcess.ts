import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
/** Output kept per process, for the failure message of a test. */
const MAX_OUTPUT_CHARS = 200_000;

export interface CdcProcess {
  readonly pid: number;
  /** stdout and stderr so far (the tail, if long). */
  output(): string;
  /** Resolves with the exit code (null) and signal once the process and its tsx wrapper are gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly hasExited: () => boolean;
  /** Sends the signal to the process group (tsx and the node process it runs). */
  signal(signal: NodeJS.Signals): void;
}

/**
 * Starts `npm start`'s CDC process, `tsx cdc/main.ts`, as a child with the given environment added. It runs in its
 * own process group: tsx runs the program in a second node process, and SIGKILL must reach that one too (a
 * signal to the tsx wrapper alone would leave it running).
 */
export function startCdcProcess(env: Readonly<Record<string, string>>): CdcProcess {
  const child: ChildProcess = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'cdc', 'main.ts')], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > MAX_OUTPUT_CHARS) output = output.slice(-MAX_OUTPUT_CHARS / 2);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
  });
  if (child.pid === undefined) throw new Error('could not start tsx cdc/main.ts');
  const pid = child.pid;
  return {
    pid,
    output: () => output,
    exited,
    hasExited: () => done,
    signal: (signal) => {
      try {
        process.kill(-pid, signal);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
    },
  };
}
