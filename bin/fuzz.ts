/**
 * `npm run fuzz -- --cases 100000 [--seed 20261201]`: the seeded fuzz of malformed GraphQL requests of
 * test/integration/securityAbuse.test.ts (no 5xx, no stack trace, nothing written), with as many cases as asked,
 * outside `npm test` (which runs 2,000). Runs against the real stack like the test (`npm run stack:up` first); prints
 * the answers by HTTP status and exits with jest's status.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '100000' }, seed: { type: 'string', default: '20261201' } },
});
for (const [name, value] of Object.entries(values)) {
  if (!/^\d+$/.test(value)) {
    process.stderr.write(`fuzz: --${name} must be a whole number, not "${value}"\n`);
    process.exit(2);
  }
}
const root = join(__dirname, '..');
const result = spawnSync(
  join(root, 'node_modules', '.bin', 'jest'),
  ['test/integration/securityAbuse.test.ts', '-t', 'malformed requests', '--runInBand', '--forceExit'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FINSYNC_FUZZ_CASES: values.cases, FINSYNC_FUZZ_SEED: values.seed },
  },
);
process.exit(result.status ?? 1);
