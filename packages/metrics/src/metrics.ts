import { Metrics } from '@aws-lambda-powertools/metrics'
import { type Middleware, orderKey, orderRank, type Request, redactSecrets } from '@lamina/core'
import { outcomeOf } from './outcome.js'
import { addOutcomeMetrics, type EnabledMetrics, enabledMetrics, type StandardMetrics } from './standard-metrics.js'

export interface MetricsOptions extends StandardMetrics {
  /** The Powertools Metrics to publish through. Default: a new one from the options below and the environment. */
  metrics?: Metrics
  /** CloudWatch namespace for a new Metrics. Default: `POWERTOOLS_METRICS_NAMESPACE`. */
  namespace?: string
  /** The `service` dimension for a new Metrics. Default: `POWERTOOLS_SERVICE_NAME`. */
  serviceName?: string
  /** Dimensions on every metric, for a new Metrics. */
  defaultDimensions?: Record<string, string>
  /** Add a `function_name` dimension (the Lambda function's name) to the invocation's metrics. Default true. */
  functionNameDimension?: boolean
}

// What this middleware knows about its invocation, kept on the request itself, so overlapping
// invocations never share it (symbol properties: cheaper per invocation than a WeakMap entry):
// when it started, for Duration; whether the error path ran (a handler may throw `undefined`).
const startedAt = Symbol('lamina.metrics.startedAt')
const errored = Symbol('lamina.metrics.errored')
type TrackedRequest = { [startedAt]?: number; [errored]?: true }

function createMetrics(options: MetricsOptions): Metrics {
  const { namespace, serviceName, defaultDimensions } = options
  return new Metrics({
    ...(namespace !== undefined && { namespace }),
    ...(serviceName !== undefined && { serviceName }),
    ...(defaultDimensions !== undefined && { defaultDimensions }),
  })
}

/** Empties the invocation's part of Powertools' buffer: metrics, dimensions and metadata. */
function clearInvocation(instance: Metrics): void {
  instance.clearMetrics()
  instance.clearDimensions()
  instance.clearMetadata()
}

function functionNameOf(request: Request): string | undefined {
  const name = (request.context as { functionName?: unknown } | undefined)?.functionName
  return typeof name === 'string' && name !== '' ? name : undefined
}

// onError must not fail the invocation: a publish that fails there is reported, not thrown.
function reportUnpublished(error: unknown): void {
  // Powertools' own errors: an Error with a message naming the metric or dimension at fault.
  const reason = String((error as Error | undefined)?.message)
  console.error(
    `[lamina/metrics] could not publish the metrics of an invocation that failed early: ${redactSecrets(reason)}`,
  )
}

/**
 * Adds the outcome and publishes everything the invocation recorded, if it recorded anything.
 * True when `publishStoredMetrics` ran and returned: it has emptied metrics, dimensions and
 * metadata itself.
 */
function publish(
  instance: Metrics,
  enabled: EnabledMetrics,
  functionNameDimension: boolean,
  request: Request,
): boolean {
  const tracked = request as TrackedRequest
  // With every per-invocation metric off, the outcome has nothing to decide: not worked out.
  const added =
    enabled.perInvocation &&
    addOutcomeMetrics(
      instance,
      enabled,
      outcomeOf(tracked[errored] === true, request.error, request.response),
      tracked[startedAt],
    )
  // Nothing to publish: Powertools would warn, or throw with throwOnEmptyMetrics.
  if (!added && !instance.hasStoredMetrics()) return false
  const functionName = functionNameOf(request)
  if (functionNameDimension && functionName !== undefined) {
    instance.addDimension('function_name', functionName)
  }
  instance.publishStoredMetrics()
  return true
}

// The methods this middleware calls, checked by shape: a second copy of Powertools (or one bundled
// as ESM beside a CommonJS one) is another class, but still a working Metrics.
const usedMethods = [
  'addMetric',
  'addDimension',
  'captureColdStartMetric',
  'hasStoredMetrics',
  'publishStoredMetrics',
  'clearMetrics',
  'clearDimensions',
  'clearMetadata',
] as const

function isPowertoolsMetrics(value: unknown): value is Metrics {
  if (typeof value !== 'object' || value === null) return false
  return usedMethods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function')
}

/**
 * CloudWatch metrics in Embedded Metric Format on a Powertools Metrics: `ColdStart`, `Errors` and
 * `Timeouts` for every invocation (`Invocations` and `Duration` when asked), and the handler's
 * own through `context.metrics`. Everything the invocation recorded is published once, in
 * `cleanup`, on every path; an invocation that recorded nothing publishes nothing and never throws.
 */
export function metrics(options: MetricsOptions = {}): Middleware<{ context: { metrics: Metrics } }> {
  if (options.metrics !== undefined && !isPowertoolsMetrics(options.metrics)) {
    throw new TypeError(
      'metrics({ metrics }) takes a Metrics from @aws-lambda-powertools/metrics 2.x (2.36 or later), the one your function imports.',
    )
  }
  const instance = options.metrics ?? createMetrics(options)
  const enabled = enabledMetrics(options)
  const functionNameDimension = options.functionNameDimension ?? true

  return {
    name: 'metrics',
    [orderKey]: orderRank.observability,
    before(request) {
      const { context } = request
      // Also the mark that before ran: onError publishes itself when it did not. The clock is
      // read only for Duration (performance.now() is not free, and nothing else needs it).
      ;(request as TrackedRequest)[startedAt] = enabled.duration ? performance.now() : 0
      if (enabled.coldStart) instance.captureColdStartMetric(context.functionName)
      context.metrics = instance
    },
    onError(request) {
      const tracked = request as TrackedRequest
      tracked[errored] = true
      if (tracked[startedAt] !== undefined) return
      // A middleware ahead of this one failed in its before (the timeout guard, when the
      // invocation starts inside its margin), so no cleanup runs for metrics either: publish
      // now. The answer is not known yet, so the error counts as a failure.
      try {
        if (enabled.coldStart) instance.captureColdStartMetric(functionNameOf(request))
        publish(instance, enabled, functionNameDimension, request)
      } catch (error) {
        reportUnpublished(error)
      } finally {
        clearInvocation(instance)
      }
    },
    cleanup(request) {
      let published = false
      try {
        published = publish(instance, enabled, functionNameDimension, request)
      } finally {
        // Whatever failed above (a metric the handler recorded with another unit, too many
        // dimensions), nothing of this invocation may land in the next one's document. A publish
        // has emptied them already; clearing again is not free (each clear reads the environment
        // in Powertools: six reads per invocation, measured), so only the other paths clear.
        if (!published) clearInvocation(instance)
      }
    },
  }
}
