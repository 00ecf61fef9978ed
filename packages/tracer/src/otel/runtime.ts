// Everything of OpenTelemetry is loaded here, by dynamic import() only, when the OpenTelemetry
// mode is on: nothing of it is loaded by importing @lamina/tracer (a static import, even inside a
// lazily used module, would be hoisted to the top of an ESM bundle).
import type { Context, Span, Tracer } from '@opentelemetry/api'
import { namedExports } from '../named-exports.js'
import { type InvocationContextManager, invocationContexts } from './context-manager.js'
import { sharedFlush } from './flush.js'

/** What connections (and anything else) find on globalThis to trace outgoing calls. */
export const outgoingKey = Symbol.for('lamina.otel')

export interface OtelRuntime {
  readonly api: typeof import('@opentelemetry/api')
  readonly tracer: Tracer
  readonly contextManager: InvocationContextManager
  /** The context an invocation's span continues: Lambda's trace header, else the runtime's traceparent. */
  parentContext(): Context
  /** Exports every ended span not yet exported, within `timeoutMs`. */
  flush(timeoutMs: number): Promise<void>
}

/** Where the runtime client keeps each invocation's trace headers (per invocation under concurrency). */
interface InvokeStore {
  getXRayTraceId(): string | undefined
  getTraceparent?(): string | undefined
  getTracestate?(): string | undefined
}
const invokeStore = () => (globalThis as { awslambda?: { InvokeStore?: InvokeStore } }).awslambda?.InvokeStore

let loading: Promise<OtelRuntime> | undefined
let loaded: OtelRuntime | undefined

/** The runtime, once loaded (synchronous, for the lifecycle hooks). */
export const loadedOtelRuntime = (): OtelRuntime | undefined => loaded

/** The process's one OpenTelemetry runtime, created on first use. */
export function loadOtelRuntime(serviceName: string | undefined): Promise<OtelRuntime> {
  loading ??= createRuntime(serviceName).then((runtime) => {
    loaded = runtime
    return runtime
  })
  return loading
}

const passOn = (failure: unknown): never => {
  throw failure
}

async function createRuntime(serviceName: string | undefined): Promise<OtelRuntime> {
  // Each import() handles its rejection (`.then(…, passOn)`) on purpose: a bundler (esbuild) then
  // leaves a package it cannot find for run time instead of failing the build, so a function
  // bundled without OpenTelemetry installed (the X-Ray mode, or tracing off) still bundles. The
  // rejection is passed on as it is. `namedExports` takes the exports from where the bundle put them.
  const [api, core, sdk, otlp, idGenerator, xray, resources] = await Promise.all([
    import('@opentelemetry/api').then((module) => namedExports(module, 'ROOT_CONTEXT'), passOn),
    import('@opentelemetry/core').then((module) => namedExports(module, 'W3CTraceContextPropagator'), passOn),
    import('@opentelemetry/sdk-trace-base').then((module) => namedExports(module, 'BasicTracerProvider'), passOn),
    import('@opentelemetry/exporter-trace-otlp-http').then(
      (module) => namedExports(module, 'OTLPTraceExporter'),
      passOn,
    ),
    import('@opentelemetry/id-generator-aws-xray').then((module) => namedExports(module, 'AWSXRayIdGenerator'), passOn),
    import('@opentelemetry/propagator-aws-xray').then((module) => namedExports(module, 'AWSXRayPropagator'), passOn),
    import('@opentelemetry/resources').then((module) => namedExports(module, 'resourceFromAttributes'), passOn),
  ])
  const env = process.env
  const resource = resources.resourceFromAttributes({
    'service.name': env.OTEL_SERVICE_NAME ?? serviceName ?? env.POWERTOOLS_SERVICE_NAME ?? env.AWS_LAMBDA_FUNCTION_NAME,
    'cloud.provider': 'aws',
    'cloud.platform': 'aws_lambda',
    'cloud.region': env.AWS_REGION,
    'faas.name': env.AWS_LAMBDA_FUNCTION_NAME,
    'faas.version': env.AWS_LAMBDA_FUNCTION_VERSION,
    'faas.instance': env.AWS_LAMBDA_LOG_STREAM_NAME,
    'faas.max_memory': Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE) * 1024 * 1024 || undefined,
    'telemetry.distro.name': '@lamina/tracer',
  })
  // Batched, and flushed by the middleware's cleanup: one export request per flush, not one per
  // span. The scheduled delay is long so that the flush, not a timer, sends an invocation's spans.
  const processor = new sdk.BatchSpanProcessor(reportingFailures(new otlp.OTLPTraceExporter()), {
    scheduledDelayMillis: 60_000,
    maxQueueSize: 8_192,
    maxExportBatchSize: 512,
  })
  const provider = new sdk.BasicTracerProvider({
    resource,
    idGenerator: new idGenerator.AWSXRayIdGenerator(),
    sampler: new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() }),
    spanProcessors: [processor],
  })
  const xrayPropagator = new xray.AWSXRayPropagator()
  const w3cPropagator = new core.W3CTraceContextPropagator()
  const propagator = new core.CompositePropagator({ propagators: [w3cPropagator, xrayPropagator] })
  const contextManager = invocationContexts
  contextManager.setRoot(api.ROOT_CONTEXT)
  // Registered for the user's own OpenTelemetry code; ours uses these objects directly, so it
  // keeps working when the process already registered others (the API then keeps those).
  api.trace.setGlobalTracerProvider(provider)
  api.propagation.setGlobalPropagator(propagator)
  api.context.setGlobalContextManager(contextManager)
  const tracer = provider.getTracer('@lamina/tracer')

  const getter = api.defaultTextMapGetter
  const runtime: OtelRuntime = {
    api,
    tracer,
    contextManager,
    parentContext() {
      const store = invokeStore()
      const xrayHeader = store?.getXRayTraceId() ?? env._X_AMZN_TRACE_ID
      if (xrayHeader !== undefined && xrayHeader !== '') {
        const carrier = { [xray.AWSXRAY_TRACE_ID_HEADER]: xrayHeader }
        const extracted = xrayPropagator.extract(api.ROOT_CONTEXT, carrier, getter)
        if (api.trace.getSpanContext(extracted) !== undefined) return extracted
      }
      const traceparent = store?.getTraceparent?.()
      if (traceparent === undefined) return api.ROOT_CONTEXT
      const carrier = { traceparent, tracestate: store?.getTracestate?.() ?? '' }
      return w3cPropagator.extract(api.ROOT_CONTEXT, carrier, getter)
    },
    flush: sharedFlush((timeoutMs) => provider.forceFlush({ timeoutMillis: timeoutMs })),
  }
  ;(globalThis as Record<symbol, unknown>)[outgoingKey] = outgoingTracing(runtime, propagator)
  return runtime
}

let warned = false

/** Says once per process that spans are not getting out, and what to check. */
export function warnExportFailed(error: unknown): void {
  if (warned) return
  warned = true
  console.warn(
    '@lamina/tracer: spans could not be exported over OTLP/HTTP; check OTEL_EXPORTER_OTLP_ENDPOINT ' +
      '(or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) and that the collector is running. This is said once per process.',
    error,
  )
}

type SpanExporter = import('@opentelemetry/sdk-trace-base').SpanExporter

/** The exporter, telling `warnExportFailed` when an export fails (the SDK itself stays silent). */
function reportingFailures(exporter: SpanExporter): SpanExporter {
  return {
    export(spans, done) {
      exporter.export(spans, (result) => {
        // 0 is ExportResultCode.SUCCESS.
        if (result.code !== 0) warnExportFailed(result.error)
        done(result)
      })
    },
    shutdown: () => exporter.shutdown(),
  }
}

/** Outgoing calls' spans, for @lamina/connections: found on globalThis, so it imports nothing of this. */
export interface OutgoingTracing {
  /**
   * Starts a client span under the invocation running in this flow and writes its trace headers
   * (`traceparent`, `X-Amzn-Trace-Id`) into `headers`. Undefined outside an invocation.
   */
  start(
    name: string,
    attributes: Record<string, string | number | boolean>,
    headers: Record<string, string>,
  ): OutgoingSpan | undefined
}

export interface OutgoingSpan {
  /** Ends the span with the call's HTTP status, or the error it failed with. */
  end(outcome: { statusCode?: number | undefined; error?: unknown }): void
}

function outgoingTracing(
  runtime: OtelRuntime,
  propagator: import('@opentelemetry/api').TextMapPropagator,
): OutgoingTracing {
  const { api, tracer, contextManager } = runtime
  return {
    start(name, attributes, headers) {
      const parent = contextManager.active()
      if (api.trace.getSpan(parent) === undefined) return undefined
      const span = tracer.startSpan(name, { kind: api.SpanKind.CLIENT, attributes }, parent)
      propagator.inject(api.trace.setSpan(parent, span), headers, api.defaultTextMapSetter)
      return { end: (outcome) => endClientSpan(api, span, outcome) }
    },
  }
}

function endClientSpan(
  api: OtelRuntime['api'],
  span: Span,
  outcome: { statusCode?: number | undefined; error?: unknown },
) {
  if (outcome.statusCode !== undefined) span.setAttribute('http.response.status_code', outcome.statusCode)
  if (outcome.error !== undefined) {
    const error = outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error))
    span.recordException(error)
    span.setStatus({ code: api.SpanStatusCode.ERROR, message: error.message })
  } else if (outcome.statusCode !== undefined && outcome.statusCode >= 400) {
    span.setStatus({ code: api.SpanStatusCode.ERROR })
  }
  span.end()
}
