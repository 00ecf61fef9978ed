import { type Context, type Middleware, type PreparedHooks, wrap } from '@lamina/core'
import { otelHooks, type TracingOptions, tracing } from '@lamina/tracer'
import type { Tracer as OtelTracer } from '@opentelemetry/api'
import type { SQSEvent } from 'aws-lambda'
import { describe, expectTypeOf, it } from 'vitest'

describe("tracing({ mode: 'otel' }) types", () => {
  it('gives the handler context.tracer, an OpenTelemetry Tracer', () => {
    wrap<SQSEvent>()
      .use(tracing({ mode: 'otel' }))
      .handler(async (event, context) => {
        expectTypeOf(event).toEqualTypeOf<SQSEvent>()
        expectTypeOf(context.tracer).toEqualTypeOf<OtelTracer>()
        expectTypeOf(context).toExtend<Context>()
      })
  })

  it('refuses what only the X-Ray mode takes', () => {
    // @ts-expect-error: a Powertools tracer is the X-Ray mode's
    tracing({ mode: 'otel', tracer: {} as never as import('@aws-lambda-powertools/tracer').Tracer })
    // @ts-expect-error: the response is X-Ray metadata; OpenTelemetry has no such place
    tracing({ mode: 'otel', captureResponse: true })
    // @ts-expect-error: no such mode
    tracing({ mode: 'jaeger' })
  })

  it('takes either mode’s options as TracingOptions, as observability() passes them', () => {
    const pass = (options: TracingOptions) => tracing(options)
    expectTypeOf(pass).returns.toEqualTypeOf<Middleware>()
    pass({ mode: 'otel', spanName: 'orders' })
    pass({ captureResponse: false })
    // Prepared by lifecycleHooks(), so wrap() takes them as they are.
    expectTypeOf(otelHooks()).toEqualTypeOf<PreparedHooks>()
    wrap(async () => 'ok', { hooks: otelHooks() })
  })
})
