/**
 * The alerting rules shipped with finsync (stack/prometheus/finsync-rules.yml) as Prometheus's own tool sees them:
 * `promtool check rules` accepts the file, `promtool test rules` runs its unit tests (a planted flow SLA breach
 * fires and a flow without one stays silent, an exception older than finance's maximum for its code, the ERP
 * circuit), and every alert names a summary and a runbook section that exists in docs/operations.md.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
const dir = join(root, 'stack', 'prometheus');
const run = promisify(execFile);

describe('finsync-rules.yml under promtool', () => {
  it('is valid Prometheus rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', 'finsync-rules.yml'], { cwd: dir });
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('passes its unit tests: the planted SLA breach fires, the rest stays silent', async () => {
    const result = await run('promtool', ['test', 'rules', 'finsync-rules.test.yml'], { cwd: dir }).catch(
      (err: { stdout?: string; stderr?: string }) => ({
        stdout: `${err.stdout ?? ''}${err.stderr ?? ''}`,
        failed: true,
      }),
    );
    expect(result.stdout).toContain('SUCCESS');
    expect('failed' in result).toBe(false);
  });

  it('gives every alert a summary and a runbook section that docs/operations.md has', () => {
    const rules = readFileSync(join(dir, 'finsync-rules.yml'), 'utf8');
    const headings = new Set(
      readFileSync(join(root, 'docs', 'operations.md'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('#'))
        .map((l) =>
          l
            .replace(/^#+\s*/, '')
            .toLowerCase()
            .replace(/[^a-z0-9 -]/g, '')
            .replace(/ /g, '-'),
        ),
    );
    const alerts = [...rules.matchAll(/- alert: (\w+)\n((?:\s{8,}.*\n?)*)/g)];
    expect(alerts.length).toBeGreaterThanOrEqual(12);
    const problems = alerts.flatMap(([, name, body]) => {
      const anchor = /runbook_url: 'docs\/operations\.md#([a-z0-9-]+)'/.exec(body ?? '')?.[1];
      if (!/summary: '/.test(body ?? '')) return [`${name}: no summary`];
      if (!anchor) return [`${name}: no runbook_url into docs/operations.md`];
      return headings.has(anchor) ? [] : [`${name}: docs/operations.md has no section #${anchor}`];
    });
    expect(problems).toEqual([]);
  });
});
