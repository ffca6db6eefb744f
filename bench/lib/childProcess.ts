import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** A finsync process started for a benchmark (its own process group, so tsx and node both stop). */
export interface BenchProcess {
  readonly name: string;
  /** The process group's id (tsx's pid; the node process it runs is in the same group). */
  readonly pid: number;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `tsx <entry>` with the environment added; output is kept for error messages. */
export function startProcess(name: string, entry: string, env: Record<string, string>): BenchProcess {
  const child: ChildProcess = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, entry)], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    name,
    pid: child.pid ?? 0,
    output: () => output,
    stop: async () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Polls `url` until it answers 200 (or fails after `timeoutMs`, with the process output). */
export async function waitReady(
  url: string,
  timeoutMs: number,
  proc?: BenchProcess,
  init?: RequestInit,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url, init)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} not ready after ${timeoutMs} ms\n${proc?.output() ?? ''}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
