import { chooseLogFormat, createLogOutput } from './logOutput';

function capture(format: 'json' | 'pretty') {
  const lines: string[] = [];
  const out = createLogOutput(format, (t) => lines.push(...t.split('\n').filter(Boolean)));
  return { out, lines };
}

describe('log output', () => {
  it('is pretty at a terminal and JSON otherwise, unless FINSYNC_LOG_FORMAT says', () => {
    expect(chooseLogFormat({}, true)).toBe('pretty');
    expect(chooseLogFormat({}, false)).toBe('json');
    expect(chooseLogFormat({ FINSYNC_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(chooseLogFormat({ FINSYNC_LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
  });

  it('JSON: a process line keeps its fields and gains its process and instance', () => {
    const { out, lines } = capture('json');
    out.child('cdc-1', 'cdc', '{"level":30,"time":1,"msg":"progress","stats":{"APPLIED":3}}', 'stdout');
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { level: 30, time: 1, msg: 'progress', stats: { APPLIED: 3 }, process: 'cdc', instance: 'cdc-1' },
    ]);
  });

  it('JSON: plain text (a crash before the logger exists) becomes one JSON object, stderr as an error', () => {
    const { out, lines } = capture('json');
    out.child('gateway-1', 'gateway', 'finsync-gateway: invalid gateway configuration:', 'stderr');
    out.child('gateway-1', 'gateway', '{ not json', 'stdout');
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toEqual([
      expect.objectContaining({
        level: 50,
        process: 'gateway',
        instance: 'gateway-1',
        stream: 'stderr',
        msg: 'finsync-gateway: invalid gateway configuration:',
      }),
      expect.objectContaining({ level: 30, process: 'gateway', msg: '{ not json' }),
    ]);
  });

  it('pretty: time, level, instance, correlation id and message on one line', () => {
    const { out, lines } = capture('pretty');
    out.child(
      'invoices-1',
      'invoices',
      '{"level":40,"time":1796700000000,"msg":"slow request","correlationId":"c-42","ms":812,"instance":"invoices-1"}',
      'stdout',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: invoices-1 +\[c-42\] slow request \{"ms":812\}$/);
  });
});
