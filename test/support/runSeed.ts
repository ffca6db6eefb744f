import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Manifest } from '../../stack/seed/manifest';

const root = join(__dirname, '..', '..');

/** Runs the data generator (`npm run seed -- …`) and returns the manifest it wrote. */
export async function runSeed(args: string[], seed: number): Promise<Manifest> {
  await promisify(execFile)(
    join(root, 'node_modules', '.bin', 'tsx'),
    [join(root, 'stack', 'seed', 'main.ts'), ...args, '--seed', String(seed)],
    {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  // The generator writes its manifest into FINSYNC_RUN_DIR when set (a worktree sharing another checkout's stack).
  const runDir = process.env.FINSYNC_RUN_DIR ?? join(root, '.run');
  return JSON.parse(readFileSync(join(runDir, `seed-${seed}.json`), 'utf8')) as Manifest;
}

/** A seed no earlier run on this machine used: its prefix (S<seed>-) marks this run's rows in the sources. */
export const freshSeed = (): number => 100_000 + (Date.now() % 800_000);
