import { type Middleware, orderKey, orderRank, type Request } from '@lamina/core'
import type { Tracer } from '@opentelemetry/api'
import { tracingEnabledByEnvironment } from '../enabled.js'
import { invocationAttributes, isHttpEvent, statusCodeOf } from './attributes.js'
import { type ContextBox, invocationContexts } from './context-manager.js'
import { noopTracer } from './noop-tracer.js'
import { loadOtelRuntime, type OtelRuntime, warnExportFailed } from './runtime.js'
import { setSpans, spansOf } from './state.js'

export interface OtelTracingOptions {
  /** OpenTelemetry instead of the X-Ray SDK (also chosen by `LAMINA_TRACING=otel`). */
  mode: 'otel'
  /** Force tracing off (or on). Default: on in Lambda (Powertools' rules) unless `OTEL_SDK_DISABLED=true`. */
  enabled?: boolean
  /** `service.name` of the process's spans. Default: `OTEL_SERVICE_NAME`, `POWERTOOLS_SERVICE_NAME`, the function name. */
  serviceName?: string
  /** Record the error's message and stack on the span; false only sets the span's status to error. Default true. */
  captureError?: boolean
  /** The handler span's name. Default: the function's name, as OpenTelemetry's FaaS conventions name it. */
  spanName?: string
  /** Only the X-Ray mode takes a Powertools Tracer. */
  tracer?: undefined
}

/** What the handler sees: `context.tracer` starts spans under the invocation's. */
export interface OtelTracingContext {
  tracer: Tracer
}

// Per process: the first invocation of an on-demand environment is its cold start.
let coldStart = (process.env.AWS_LAMBDA_INITIALIZATION_TYPE ?? 'on-demand') === 'on-demand'

const otelEnabledByEnvironment = (env: NodeJS.ProcessEnv) =>
  (env.OTEL_SDK_DISABLED ?? '').toLowerCase() !== 'true' && tracingEnabledByEnvironment(env)

/**
 * The OpenTelemetry mode of `tracing()`: one span per invocation, continuing Lambda's trace,
 * exported over OTLP/HTTP in `cleanup`, before the invocation answers.
 */
export function otelTracing(options: OtelTracingOptions): Middleware<{ context: OtelTracingContext }> {
  const enabled = options.enabled ?? otelEnabledByEnvironment(process.env)
  if (!enabled) {
    return {
      name: 'tracing',
      [orderKey]: orderRank.observability,
      before(request) {
        ;(request.context as Partial<OtelTracingContext>).tracer = noopTracer
      },
    }
  }
  const holder: { runtime: OtelRuntime | undefined } = { runtime: undefined }
  // Started now, during the function's init, so the first invocation rarely waits for it.
  const ready = loadOtelRuntime(options.serviceName).then((runtime) => {
    holder.runtime = runtime
  })
  // An init that cannot load OpenTelemetry must fail loudly on the invocation, not as an unhandled rejection.
  ready.catch(() => {})
  const captureError = options.captureError ?? true

  function open(request: Request, box: ContextBox, previous: ContextBox | undefined): void {
    const { api, tracer } = holder.runtime as OtelRuntime
    const parent = (holder.runtime as OtelRuntime).parentContext()
    const name = options.spanName ?? request.context?.functionName ?? process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'handler'
    const attributes = invocationAttributes(request.event, request.context, coldStart)
    coldStart = false
    const span = tracer.startSpan(name, { kind: api.SpanKind.SERVER, attributes }, parent)
    setSpans(request, { span, box, previous, failed: false, steps: new Map() })
    box.context = api.trace.setSpan(parent, span)
    ;(request.context as Partial<OtelTracingContext>).tracer = tracer
  }

  return {
    name: 'tracing',
    [orderKey]: orderRank.observability,
    before(request) {
      // The rest of this invocation's flow (the inner middlewares, the handler and what it awaits)
      // runs in the span's context: context.active() and the handler's own spans are under it.
      // Entered now, synchronously, so the engine's continuation carries it even when OpenTelemetry
      // is still loading (the box is filled then).
      const box: ContextBox = { context: undefined }
      const previous = invocationContexts.enter(box)
      // After the first load this stays synchronous: no promise per invocation.
      if (holder.runtime === undefined) {
        return ready.then(
          () => open(request, box, previous),
          (error: unknown) => {
            throw new Error(
              '@lamina/tracer: the OpenTelemetry mode could not load @opentelemetry/*: install the packages ' +
                "listed in @lamina/tracer's README (they are optional peer dependencies), or set LAMINA_TRACING=xray.",
              { cause: error },
            )
          },
        )
      }
      open(request, box, previous)
    },
    onError(request) {
      const opened = spansOf(request)
      if (opened === undefined) return
      const { api } = holder.runtime as OtelRuntime
      const error = request.error
      opened.failed = true
      if (!captureError) {
        opened.span.setStatus({ code: api.SpanStatusCode.ERROR })
        return
      }
      const recorded = error instanceof Error ? error : new Error(String(error))
      opened.span.recordException(recorded)
      opened.span.setStatus({ code: api.SpanStatusCode.ERROR, message: recorded.message })
    },
    cleanup(request) {
      const opened = spansOf(request)
      if (opened === undefined) return
      setSpans(request, undefined)
      const runtime = holder.runtime as OtelRuntime
      const { span, steps } = opened
      // A step the lifecycle hooks could not end (the handler threw) ends with the invocation.
      for (const step of steps.values()) {
        if (request.error !== undefined) step.setStatus({ code: runtime.api.SpanStatusCode.ERROR })
        step.end()
      }
      if (isHttpEvent(request.event)) {
        const status = statusCodeOf(request.response)
        if (status !== undefined) {
          span.setAttribute('http.response.status_code', status)
          // A server span is in error for a 5xx only (a 4xx is the caller's mistake); an error
          // recorded in onError keeps its status and message.
          if (status >= 500 && !opened.failed) span.setStatus({ code: runtime.api.SpanStatusCode.ERROR })
        }
      }
      span.end()
      // enterWith in `before` also reached the caller's flow when the chain went on synchronously
      // (the runtime's loop, a test calling the handler): emptying the box ends it there too.
      opened.box.context = undefined
      invocationContexts.enter(opened.previous ?? { context: undefined })
      // Sent before the invocation answers: the environment may be frozen right after it.
      const remaining = request.context?.getRemainingTimeInMillis?.()
      const timeoutMs = typeof remaining === 'number' ? Math.max(1, Math.min(remaining, 10_000)) : 10_000
      return runtime.flush(timeoutMs).catch(warnExportFailed)
    },
  }
}
