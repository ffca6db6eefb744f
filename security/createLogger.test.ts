import { Writable } from 'node:stream';
import { createLogger } from './createLogger';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, stream };
}

describe('the logger of every finsync process', () => {
  it('never writes tokens, IBANs, tax ids, passwords or connection strings', () => {
    const { lines, stream } = capture();
    const log = createLogger('test', 'info', stream);
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
    log.info({ authorization: `Bearer ${token}`, headers: { authorization: `Bearer ${token}` } }, 'request');
    log.info({ vendor: { iban: 'DE89370400440532013000', taxId: 'DE123456789' } }, 'vendor');
    log.info({ candidate: { iban: 'GB29NWBK60161331926819', taxId: 'GB987654321' } }, 'candidate');
    log.warn({ config: { databaseUrl: 'postgres://finsync:s3cret@db/finsync', password: 's3cret' } }, 'config');
    log.info({ connectionParams: { authorization: `Bearer ${token}` } }, 'ws');
    const all = lines.join('');
    expect(lines).toHaveLength(5);
    for (const secret of [
      token,
      'DE89370400440532013000',
      'DE123456789',
      'GB29NWBK60161331926819',
      'GB987654321',
      's3cret',
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(JSON.parse(lines[1]!).vendor).toEqual({ iban: '[redacted]', taxId: '[redacted]' });
    expect(JSON.parse(lines[0]!).msg).toBe('request');
  });
});

describe('log lines and traces', () => {
  it('carry the active trace id and span id when tracing is on, and no such field otherwise', async () => {
    const { lines, stream } = capture();
    const log = createLogger('test', 'info', stream);
    log.info('outside any span');
    // The real SDK (what runtime/tracing/startTracing.ts registers when an OTLP endpoint is configured).
    const { NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
    const provider = new NodeTracerProvider();
    provider.register();
    const { tracer } = await import('../runtime/tracing/tracer');
    const traceId = await new Promise<string>((resolve) =>
      tracer.startActiveSpan('request', (span) => {
        log.info('inside a span');
        span.end();
        resolve(span.spanContext().traceId);
      }),
    );
    await provider.shutdown();
    const [outside, inside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(outside).not.toHaveProperty('trace_id');
    expect(inside).toMatchObject({ trace_id: traceId, msg: 'inside a span' });
    expect(inside!.span_id).toMatch(/^[0-9a-f]{16}$/);
  });
});
