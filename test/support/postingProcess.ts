import { spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

export interface PostingProcess {
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** Signals the process group (tsx and the node process it runs). */
  signal(signal: NodeJS.Signals): void;
}

/** Starts the posting worker as `npm start` runs it (`tsx erp/main.ts`), with the given environment added. */
export function startPostingProcess(env: Readonly<Record<string, string>>): PostingProcess {
  const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'erp', 'main.ts')], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  const pid = child.pid!;
  return {
    exited,
    output: () => output,
    signal: (signal) => {
      try {
        process.kill(-pid, signal);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
      }
    },
  };
}
