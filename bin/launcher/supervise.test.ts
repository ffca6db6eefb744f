/**
 * The supervisor against real child processes (small node programs), not a mock: what it restarts, when it gives
 * up, what it reports.
 */
import { supervise, type InstanceStatus, type SupervisePolicy } from './supervise';
import { isReadyMessage } from '../../runtime/reportReady';

const FAST: SupervisePolicy = {
  stableAfterMs: 1_000,
  maxStartFailures: 3,
  initialBackoffMs: 20,
  maxBackoffMs: 50,
  stopTimeoutMs: 2_000,
};

function run(script: string, policy: SupervisePolicy = FAST) {
  const events: Array<{ level: string; message: string }> = [];
  const states: InstanceStatus[] = [];
  const s = supervise({
    instance: 'probe-1',
    process: 'probe',
    command: process.execPath,
    args: ['-e', script],
    cwd: process.cwd(),
    env: process.env,
    policy,
    onLine: () => undefined,
    onEvent: (level, message) => events.push({ level, message }),
    onChange: (st) => states.push(st),
  });
  return { s, events, states };
}

const until = async (check: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('supervise', () => {
  it('gives up on a process that fails right after start, quoting what it said', async () => {
    const { s, events } = run('process.stderr.write(\'FINSYNC_GATEWAY_PORT: "x" is not a port\\n\'); process.exit(1)');
    await until(() => s.status().state === 'failed');
    expect(s.status().restarts).toBe(2);
    expect(s.status().failure).toContain('probe-1 failed 3 times within 1 s of starting');
    expect(s.status().failure).toContain('FINSYNC_GATEWAY_PORT: "x" is not a port');
    expect(events.filter((e) => e.level === 'error')).toHaveLength(1);
  });

  it('restarts a process that ran a while and then died, and reports it ready again', async () => {
    // Ready at once; the first life dies after 1.2 s (past stableAfterMs), the next ones live on.
    const script = `
      const fs = require('fs'), marker = require('os').tmpdir() + '/finsync-supervise-' + ${process.pid};
      process.send({ type: 'finsync:ready', serves: 'probe' });
      if (!fs.existsSync(marker)) { fs.writeFileSync(marker, '1'); setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1200); }
      else { fs.unlinkSync(marker); setInterval(() => undefined, 1000); }`;
    const { s, events } = run(script);
    await until(() => s.status().restarts === 1 && s.status().state === 'ready');
    expect(s.status().lastExit?.reason).toBe('killed by SIGKILL');
    expect(s.status().serves).toBe('probe');
    expect(events.some((e) => e.message.startsWith('probe-1 exited unexpectedly (killed by SIGKILL'))).toBe(true);
    await s.stop();
    expect(s.status().state).toBe('stopped');
    expect(s.child()).toBeNull();
  });

  it('stops a process that ignores SIGTERM with SIGKILL after the timeout', async () => {
    const { s } = run(
      "process.on('SIGTERM', () => undefined); process.send({ type: 'finsync:ready' }); setInterval(() => undefined, 1000)",
      { ...FAST, stopTimeoutMs: 300 },
    );
    await until(() => s.status().state === 'ready');
    const started = Date.now();
    await s.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(s.status()).toMatchObject({ state: 'stopped', restarts: 0, lastExit: { reason: 'killed by SIGKILL' } });
  });

  it('recognises the ready message only in its own shape', () => {
    expect(isReadyMessage({ type: 'finsync:ready' })).toBe(true);
    expect(isReadyMessage({ type: 'ready' })).toBe(false);
    expect(isReadyMessage('finsync:ready')).toBe(false);
  });
});
