import type { Span, SpanContext, Tracer } from '@opentelemetry/api'

// What `context.tracer` is while tracing is off: the handler's own spans cost nothing and record
// nothing, and OpenTelemetry stays unloaded (its API's own no-op tracer would load the API).
const invalidContext: SpanContext = { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 }

const noopSpan: Span = {
  spanContext: () => invalidContext,
  setAttribute: () => noopSpan,
  setAttributes: () => noopSpan,
  addEvent: () => noopSpan,
  addLink: () => noopSpan,
  addLinks: () => noopSpan,
  setStatus: () => noopSpan,
  updateName: () => noopSpan,
  end: () => {},
  isRecording: () => false,
  recordException: () => {},
}

export const noopTracer: Tracer = {
  startSpan: () => noopSpan,
  // (name, fn) | (name, options, fn) | (name, options, context, fn): the callback is always last.
  startActiveSpan: (...args: unknown[]) => (args[args.length - 1] as (span: Span) => unknown)(noopSpan),
} as Tracer
