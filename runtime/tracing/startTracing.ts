/**
 * OpenTelemetry tracing for a finsync process, off unless an OTLP endpoint is configured
 * (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or finsync's own `FINSYNC_OTLP_ENDPOINT`);
 * when off nothing is loaded beyond @opentelemetry/api, whose tracer is then a no-op. When on: a batch span
 * processor exporting OTLP over HTTP (JSON), with the http, undici (fetch) and pg instrumentations — the gateway's
 * request → each subgraph call (W3C traceparent over HTTP) → the subgraph's resolvers → their SQL — and the spans
 * finsync makes itself (CDC batch → apply, posting → ERP call; `tracer.ts`). Service name `finsync-<process>`,
 * instance id `FINSYNC_INSTANCE`.
 */
export function tracingEndpoint(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.OTEL_SDK_DISABLED === 'true') return null;
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (traces) return traces;
  const base = env.FINSYNC_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base ? `${base.replace(/\/$/, '')}/v1/traces` : null;
}

let started = false;

/** Starts tracing for this process if an endpoint is configured; returns whether it did. Idempotent. */
export function startTracing(processName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const url = tracingEndpoint(env);
  if (!url || started) return started;
  started = true;
  // Loaded only when tracing is on: the SDK and its instrumentations cost nothing otherwise.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeTracerProvider, BatchSpanProcessor } =
    require('@opentelemetry/sdk-trace-node') as typeof import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { registerInstrumentations } =
    require('@opentelemetry/instrumentation') as typeof import('@opentelemetry/instrumentation');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { UndiciInstrumentation } =
    require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      'service.name': env.OTEL_SERVICE_NAME ?? `finsync-${processName}`,
      'service.instance.id': env.FINSYNC_INSTANCE ?? `${processName}-${process.pid}`,
    }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: 500, maxExportBatchSize: 512 }),
    ],
  });
  provider.register();
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      // The OTLP exporter's own requests are not traced (they would trace themselves).
      new HttpInstrumentation({ ignoreOutgoingRequestHook: (req) => String(req.path ?? '').startsWith('/v1/traces') }),
      new UndiciInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  process.once('beforeExit', () => void provider.shutdown().catch(() => undefined));
  return true;
}
