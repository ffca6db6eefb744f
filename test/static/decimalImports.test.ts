/**
 * Money is computed with one configured decimal.js (canonical-schema/money/Decimal.ts, docs/money.md): the linter
 * refuses `decimal.js` itself anywhere else — product code and tests alike — since its default constructor rounds
 * every result to 20 significant digits. Probe files are linted in one ESLint process, then removed (as
 * layers.test.ts does).
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

describe('decimal.js is imported only by canonical-schema/money/Decimal.ts', () => {
  it('refuses it in product code and tests, and accepts the configured constructor', () => {
    const probes = {
      cdc: "import Decimal from 'decimal.js';\nexport const x = new Decimal(1);\n",
      'test/support': "import { Decimal as D } from 'decimal.js';\nexport const x = new D(1);\n",
      subgraphs: "import { Decimal } from '../canonical-schema/money/Decimal';\nexport const x = new Decimal(1);\n",
    };
    const files = Object.keys(probes).map((folder) => join(root, folder, `__decimal_probe_${process.pid}.ts`));
    try {
      Object.values(probes).forEach((text, i) => writeFileSync(files[i]!, text));
      const run = spawnSync(
        join(root, 'node_modules', '.bin', 'eslint'),
        ['--format', 'json', '--no-warn-ignored', ...files, join(root, 'canonical-schema', 'money', 'Decimal.ts')],
        { cwd: root, encoding: 'utf8' },
      );
      const results = JSON.parse(run.stdout) as Array<{ filePath: string; messages: Array<{ ruleId: string | null }> }>;
      const refusals = (file: string) =>
        (results.find((r) => r.filePath === file)?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports')
          .length;
      expect(files.map(refusals)).toEqual([1, 1, 0]);
      expect(refusals(join(root, 'canonical-schema', 'money', 'Decimal.ts'))).toBe(0);
    } finally {
      for (const f of files) rmSync(f, { force: true });
    }
  });
});
