/**
 * The layer check of docs/architecture.md is the linter's: an import that runs the wrong way is refused, one that
 * runs the right way is not. The cases are written as probe files into the folders they speak for and linted in
 * one ESLint process (its config loader needs native ES modules, which jest's sandbox lacks), then removed.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const eslintBin = join(root, 'node_modules', '.bin', 'eslint');

const refused: Array<[string, string]> = [
  ['canonical-schema', "import { loadCdcConfig } from '../cdc/config';"],
  ['canonical-schema/reference', "import { loadErpConfig } from '../../erp/config';"],
  ['cdc', "import { loadErpConfig } from '../erp/config';"],
  ['erp', "import { generate } from '../stack/seed/generate';"],
  ['erp', "import { SUBGRAPH_PORTS } from '../subgraphs/shared/SubgraphConfig';"],
  ['security', "import { loadCdcConfig } from '../cdc/config';"],
  ['subgraphs', "import { loadGatewayConfig } from '../gateway/config';"],
];
const allowed: Array<[string, string]> = [
  ['cdc', "import { reference } from '../canonical-schema/reference/reference';"],
  ['erp', "import { loadCdcConfig } from '../cdc/config';"],
  ['gateway', "import { SUBGRAPH_PORTS } from '../subgraphs/shared/SubgraphConfig';"],
  ['bin', "import { loadGatewayConfig } from '../gateway/config';"],
];

interface LintResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; message: string }>;
}

/** Lints every case at once; returns the layer errors per case, in the order given. */
function lintCases(cases: Array<[string, string]>): string[][] {
  const files = cases.map(([folder], i) => join(root, folder, `__layer_probe_${process.pid}_${i}.ts`));
  try {
    cases.forEach(([, line], i) =>
      writeFileSync(files[i]!, `${line}\nexport const used = [${/\{ (\w+)/.exec(line)?.[1]}];\n`),
    );
    const run = spawnSync(eslintBin, ['--format', 'json', '--no-warn-ignored', ...files], {
      cwd: root,
      encoding: 'utf8',
    });
    const results = JSON.parse(run.stdout) as LintResult[];
    return files.map((f) =>
      (results.find((r) => r.filePath === f)?.messages ?? [])
        .filter((m) => m.ruleId === 'import-x/no-restricted-paths')
        .map((m) => m.message),
    );
  } finally {
    for (const f of files) rmSync(f, { force: true });
  }
}

describe('layers', () => {
  const errors = lintCases([...refused, ...allowed]);

  it.each(refused.map((c, i) => [...c, i] as const))('%s/ may not %s', (_folder, _line, i) => {
    expect(errors[i]).toHaveLength(1);
    expect(errors[i]![0]).toContain('docs/architecture.md');
  });

  it.each(allowed.map((c, i) => [...c, refused.length + i] as const))('%s/ may %s', (_folder, _line, i) => {
    expect(errors[i]).toEqual([]);
  });
});
