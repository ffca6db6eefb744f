/**
 * `npm start`'s launcher (bin/start.sh installs what is missing, then runs this): brings the local stack up
 * (unless FINSYNC_SKIP_STACK=1, e.g. under docker-compose where the stack is other containers), migrates the
 * canonical schema once, then runs finsync's processes — the CDC consumer, the six subgraphs, the gateway and
 * the posting worker — and keeps them up: an instance that exits unexpectedly is restarted with backoff while
 * the others keep serving; one that keeps failing right after start is given up on with a message saying what
 * to fix. Process health: http://127.0.0.1:4090/processes (and /healthz, /metrics). On first start with empty
 * stand-in sources it writes a demo data set (FINSYNC_DEMO_DATA=off, or production mode, leaves them empty).
 * Ctrl-C (SIGINT) or SIGTERM stops everything.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { migrateCanonicalSchema } from '../canonical-schema/migrate';
import { chooseLogFormat, createLogOutput, type LogOutput } from './launcher/logOutput';
import { planLaunch, type LaunchPlan } from './launcher/processes';
import { startStatusServer } from './launcher/statusServer';
import { DEFAULT_POLICY, supervise, type Supervised } from './launcher/supervise';

const root = join(__dirname, '..');
/** Each process runs TypeScript through tsx's loader in one node process (no wrapper process to signal past). */
const NODE_ARGS = ['--import', 'tsx'];

function startStack(out: LogOutput): void {
  if (process.env.FINSYNC_SKIP_STACK === '1') return;
  const result = spawnSync('bash', [join(root, 'stack', 'up.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    out.launcher('error', 'the stack did not come up (see the message above); nothing started');
    process.exit(result.status ?? 1);
  }
}

function demoDataWanted(env: NodeJS.ProcessEnv): boolean {
  const production = env.FINSYNC_PRODUCTION === 'true' || env.FINSYNC_PRODUCTION === '1';
  return !production && !['off', 'false', '0'].includes(env.FINSYNC_DEMO_DATA ?? '');
}

/** Fills empty stand-in sources with the demo data set: clean records and one of each planted anomaly. */
function writeDemoData(out: LogOutput): void {
  const args = ['--if-empty', '--size', '40', '--anomalies', '--seed', '2026'];
  out.launcher(
    'info',
    `demo data: writing it if the stand-in sources are empty (npm run seed -- ${args.join(' ')}); FINSYNC_DEMO_DATA=off skips this`,
  );
  const child = spawn(process.execPath, [...NODE_ARGS, join(root, 'stack', 'seed', 'main.ts'), ...args], {
    cwd: root,
    env: process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The seed prints its whole manifest (also in .run/seed-2026.json); a person needs its `seed:` lines only.
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      if (line.startsWith('seed:'))
        out.child('demo-data', 'demo-data', line, stream === child.stderr ? 'stderr' : 'stdout');
    });
  }
  child.once('exit', (code) => {
    if (code !== 0) out.launcher('warn', `demo data: the generator exited with code ${code}; finsync runs without it`);
  });
}

function banner(plan: LaunchPlan, instances: readonly Supervised[], statusUrl: string): string {
  const rows = instances.map((s) => {
    const st = s.status();
    const spec = plan.processes.find((p) => p.spec.name === st.process)!.spec;
    const n = Number(st.instance.split('-').pop());
    return `  ${st.instance.padEnd(18)} pid ${String(st.pid ?? '-').padEnd(8)} ${spec.serves(n)}`;
  });
  return [
    '',
    'finsync is starting:',
    ...rows,
    '',
    `GraphQL gateway:  ${plan.gatewayUrl}`,
    `Console:          ${plan.gatewayUrl.replace(/\/graphql$/, '/console')}  (development sign-in: pick a user, roles, entities)`,
    `Process health:   ${statusUrl}/processes  (also /healthz, /metrics)`,
    'Every request needs a bearer token; a development one:',
    '  TOKEN=$(npm run -s token -- --sub you@example.com --roles controller --entities FS-EU,FS-US)',
    'Ctrl-C stops finsync (the stack keeps running; `npm run stack:down` stops it).',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const out = createLogOutput(
    chooseLogFormat(process.env, Boolean(process.stdout.isTTY)),
    (t) => process.stdout.write(t),
    Boolean(process.stdout.isTTY),
  );
  let plan: LaunchPlan;
  try {
    plan = planLaunch();
  } catch (err) {
    out.launcher('error', `finsync cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
  startStack(out);
  try {
    const report = await migrateCanonicalSchema();
    const applied = report
      .split('\n')
      .filter((line) => line.startsWith('> - '))
      .map((line) => line.slice(4));
    out.launcher(
      'info',
      applied.length
        ? `canonical schema migrated (${applied.length} migrations applied)`
        : 'canonical schema up to date',
      applied.length ? { migrations: applied } : {},
    );
  } catch (err) {
    const e = err as { stderr?: string; message?: string };
    out.launcher(
      'error',
      `finsync cannot start: migrating the canonical schema failed: ${(e.stderr || e.message || String(err)).trim()}`,
    );
    process.exit(1);
  }

  const instances: Supervised[] = [];
  const status = await startStatusServer(plan.statusPort, () => instances.map((s) => s.status()));
  let stopping = false;
  const stopAll = async (code: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    out.launcher('info', 'stopping every finsync process');
    await Promise.all(instances.map((s) => s.stop()));
    await status.close();
    out.launcher('info', 'finsync stopped');
    process.exit(code);
  };
  for (const { spec, instances: count } of plan.processes) {
    for (let n = 1; n <= count; n += 1) {
      const instance = `${spec.name}-${n}`;
      instances.push(
        supervise({
          instance,
          process: spec.name,
          command: process.execPath,
          args: [...NODE_ARGS, join(root, spec.entry)],
          cwd: root,
          env: { ...process.env, ...spec.env(n), FINSYNC_INSTANCE: instance },
          policy: DEFAULT_POLICY,
          onLine: (line, stream) => out.child(instance, spec.name, line, stream),
          onEvent: (level, message, fields) => out.launcher(level, message, { ...fields, about: instance }),
          onChange: (s) => {
            status.update(s);
            if (instances.length && instances.every((i) => i.status().state === 'failed')) {
              out.launcher('error', 'every finsync process has been given up on; stopping');
              void stopAll(1);
            }
          },
        }),
      );
    }
  }
  process.stdout.write(`${banner(plan, instances, status.url)}\n`);
  if (demoDataWanted(process.env)) writeDemoData(out);

  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
}

main().catch((err: unknown) => {
  process.stderr.write(`finsync: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
