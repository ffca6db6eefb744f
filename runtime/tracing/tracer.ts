/**
 * finsync's own spans (the CDC batch and its apply, a posting's ERP call), through @opentelemetry/api only: without
 * a registered provider (tracing off) every call is a no-op. `inSpan` runs a task in an active child span, records
 * an error and ends the span either way.
 */
import { SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';

export const tracer = trace.getTracer('finsync');

export function inSpan<T>(name: string, attributes: Attributes, task: (span: Span) => Promise<T>): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await task(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The active span's trace and span ids, for log lines; null when there is none (tracing off). */
export function activeTraceIds(): { trace_id: string; span_id: string } | null {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? { trace_id: ctx.traceId, span_id: ctx.spanId } : null;
}
