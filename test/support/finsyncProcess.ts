/**
 * Any finsync process (`tsx <entry>`, as the launcher runs it) as a child of the test, in its own process group,
 * with the given environment added; `stop()` sends SIGTERM to the group and waits.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export interface FinsyncProcess {
  readonly name: string;
  output(): string;
  hasExited(): boolean;
  stop(): Promise<void>;
}

export function startFinsyncProcess(
  name: string,
  entry: string,
  env: Readonly<Record<string, string>>,
): FinsyncProcess {
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, entry)], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (b: Buffer) => (output = (output + b.toString('utf8')).slice(-100_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let done = false;
  const exited = new Promise<void>((resolve) =>
    child.once('close', () => {
      done = true;
      resolve();
    }),
  );
  return {
    name,
    output: () => output,
    hasExited: () => done,
    stop: async () => {
      try {
        if (!done && child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
      await exited;
    },
  };
}
