import type { Tracer } from '@aws-lambda-powertools/tracer'
import { type Middleware, orderKey, orderRank, type Request } from '@lamina/core'
import { runsInvocationsConcurrently, warnTracingOffUnderConcurrency } from './concurrency.js'
import { tracingEnabledByEnvironment } from './enabled.js'
import { tracingModeFromEnvironment } from './mode.js'
import { namedExports } from './named-exports.js'
import { type OtelTracingContext, type OtelTracingOptions, otelTracing } from './otel/middleware.js'

/** The X-Ray mode's options (the default mode). */
export interface XRayTracingOptions {
  /** The X-Ray SDK (the default), unless `LAMINA_TRACING=otel` says otherwise and no `tracer` is given. */
  mode?: 'xray' | undefined
  /** Your Powertools Tracer (your import already loaded the X-Ray SDK). Default: one is created when tracing is on. */
  tracer?: Tracer
  /** Force tracing off (or allow it: Powertools still turns it off outside Lambda). Default: from the environment. */
  enabled?: boolean
  /** The `Service` annotation for a created Tracer. Default: `POWERTOOLS_SERVICE_NAME`. */
  serviceName?: string
  /** Record the handler's response as subsegment metadata. Default true (and `POWERTOOLS_TRACER_CAPTURE_RESPONSE`). */
  captureResponse?: boolean
  /** Record the error on the subsegment; false only flags it. Default true (and `POWERTOOLS_TRACER_CAPTURE_ERROR`). */
  captureError?: boolean
  /** The handler subsegment's name. Default: `## ` + `_HANDLER` (as Powertools), else the function name. */
  subsegmentName?: string
}

/** Either mode's options: `mode: 'otel'` (or `LAMINA_TRACING=otel`) for OpenTelemetry. */
export type TracingOptions = XRayTracingOptions | OtelTracingOptions

type Segment = NonNullable<ReturnType<Tracer['getSegment']>>
interface OpenSegments {
  parent: Segment
  handler: Segment
}

// Each invocation's segments live on its own request (a symbol property, cheaper per invocation
// than a WeakMap entry): overlapping invocations never share them.
const segmentsKey = Symbol('lamina.tracer.segments')
type TracedRequest = { [segmentsKey]?: OpenSegments | undefined }
const segmentsOf = (request: Request) => (request as unknown as TracedRequest)[segmentsKey]

type TracerModule = typeof import('@aws-lambda-powertools/tracer')
let tracerModule: Promise<TracerModule> | undefined
/**
 * Loads Powertools' Tracer (and with it the X-Ray SDK) once per process, only when asked. Its
 * CommonJS build, through a file of ours: a one-file ES-module bundle would otherwise import
 * node:http at the top of the file at every cold start, tracing on or off (see that file).
 * Still an import(), so a bundle that splits puts the Tracer in a chunk of its own.
 */
const loadTracerModule = () => {
  tracerModule ??= import('../lib/powertools-tracer.cjs').then(
    (module) => namedExports(module, 'Tracer') as unknown as TracerModule,
  )
  return tracerModule
}

const noTracing: Middleware = { name: 'tracing', [orderKey]: orderRank.observability, before() {} }

/**
 * Tracing in the mode asked for: `mode` when given; else the X-Ray SDK when a Powertools `tracer`
 * is given; else `LAMINA_TRACING` (`otel` or `xray`, default `xray`). `mode: 'otel'` types
 * `context.tracer` (an OpenTelemetry `Tracer`); with the mode from the environment it is there
 * at run time but not in the types.
 */
export function tracing(options: OtelTracingOptions): Middleware<{ context: OtelTracingContext }>
export function tracing(options?: XRayTracingOptions): Middleware
export function tracing(options?: TracingOptions): Middleware
export function tracing(options: TracingOptions = {}): Middleware {
  const mode = options.mode ?? (options.tracer === undefined ? tracingModeFromEnvironment() : 'xray')
  if (mode === 'xray') return xrayTracing(options as XRayTracingOptions)
  if (options.tracer !== undefined) {
    throw new TypeError(
      "tracing(): a Powertools tracer was given with mode 'otel'; drop the tracer (use context.tracer for your own spans) or use mode 'xray'.",
    )
  }
  // The X-Ray mode's own options (captureResponse, subsegmentName) mean nothing here and are ignored.
  return otelTracing({ ...(options as OtelTracingOptions), mode: 'otel' }) as Middleware
}

/**
 * X-Ray tracing on a Powertools Tracer: a subsegment around the handler (and the middlewares
 * inside this one) with `ColdStart` and `Service` annotations, the response or error recorded,
 * closed in `cleanup` on every path. When tracing is off, the X-Ray SDK is never loaded.
 * Under concurrent invocations (Lambda Managed Instances) it is off, with one warning per process:
 * the X-Ray SDK would send subsegments under other invocations' trace ids.
 */
function xrayTracing(options: XRayTracingOptions): Middleware {
  const enabled = options.enabled ?? options.tracer?.isTracingEnabled() ?? tracingEnabledByEnvironment()
  if (!enabled) return noTracing
  if (runsInvocationsConcurrently()) {
    warnTracingOffUnderConcurrency(process.env.AWS_LAMBDA_MAX_CONCURRENCY)
    return noTracing
  }

  // Shared like any Powertools Tracer: created once, used by every invocation.
  const holder: { tracer: Tracer | undefined } = { tracer: options.tracer }
  // Started now, during the function's init, so the first invocation rarely waits for it.
  const ready =
    holder.tracer === undefined
      ? loadTracerModule().then(({ Tracer }) => {
          holder.tracer = new Tracer({
            ...(options.serviceName !== undefined && { serviceName: options.serviceName }),
            ...(options.enabled !== undefined && { enabled: options.enabled }),
          })
        })
      : undefined
  const captureResponse = options.captureResponse ?? true
  const captureError = options.captureError ?? true

  function open(request: Request): void {
    const tracer = holder.tracer as Tracer
    if (!tracer.isTracingEnabled()) return
    const parent = tracer.getSegment()
    if (parent === undefined) return
    const name = options.subsegmentName ?? `## ${process.env._HANDLER ?? request.context?.functionName}`
    const handler = parent.addNewSubsegment(name)
    ;(request as unknown as TracedRequest)[segmentsKey] = { parent, handler }
    tracer.setSegment(handler)
    tracer.annotateColdStart()
    tracer.addServiceNameAnnotation()
  }

  return {
    name: 'tracing',
    [orderKey]: orderRank.observability,
    before(request) {
      // After the first load this stays synchronous: no promise per invocation.
      if (holder.tracer === undefined) return (ready as Promise<void>).then(() => open(request))
      open(request)
    },
    after(request) {
      const segments = segmentsOf(request)
      if (segments === undefined || !captureResponse) return
      const tracer = holder.tracer as Tracer
      tracer.setSegment(segments.handler)
      tracer.addResponseAsMetadata(request.response, process.env._HANDLER)
    },
    onError(request) {
      const segments = segmentsOf(request)
      if (segments === undefined) return
      if (!captureError) {
        segments.handler.addErrorFlag()
        return
      }
      const tracer = holder.tracer as Tracer
      tracer.setSegment(segments.handler)
      tracer.addErrorAsMetadata(request.error as Error)
    },
    cleanup(request) {
      const segments = segmentsOf(request)
      if (segments === undefined) return
      ;(request as unknown as TracedRequest)[segmentsKey] = undefined
      try {
        segments.handler.close()
      } finally {
        ;(holder.tracer as Tracer).setSegment(segments.parent)
      }
    },
  }
}
