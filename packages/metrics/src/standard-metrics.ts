import type { Metrics } from '@aws-lambda-powertools/metrics'
import { MetricUnit } from '@aws-lambda-powertools/metrics'
import type { Outcome } from './outcome.js'

/** The metrics recorded for every invocation; each can be switched on or off. */
export interface StandardMetrics {
  /** `ColdStart` (Count), once per container, in its own EMF document as Powertools writes it. Default on. */
  coldStart?: boolean
  /** `Invocations` (Count): 1 per invocation. Default off: Lambda's own `AWS/Lambda` Invocations is free. */
  invocations?: boolean
  /** `Errors` (Count): 1 when the invocation failed, else 0; errors answered with a 4xx do not count. Default on. */
  errors?: boolean
  /** `Timeouts` (Count): 1 when it ended with core's `TimeoutError`, else 0. Default on. */
  timeouts?: boolean
  /** `Duration` (Milliseconds): from this middleware's `before` to its `cleanup`. Default off: Lambda's own is free. */
  duration?: boolean
}

export type EnabledMetrics = Required<StandardMetrics> & {
  /** Any metric added once per invocation (all but `coldStart`). */
  perInvocation: boolean
}

export function enabledMetrics(options: StandardMetrics): EnabledMetrics {
  const enabled = {
    coldStart: options.coldStart ?? true,
    // Off by default: Lambda publishes Invocations and Duration in AWS/Lambda for free, and
    // each custom metric is billed.
    invocations: options.invocations ?? false,
    errors: options.errors ?? true,
    timeouts: options.timeouts ?? true,
    duration: options.duration ?? false,
  }
  return { ...enabled, perInvocation: enabled.invocations || enabled.errors || enabled.timeouts || enabled.duration }
}

// performance.now() differences print as 18.30873699999995; a hundredth of a millisecond is
// finer than anything a Lambda invocation's duration means.
const roundToHundredths = (milliseconds: number) => Math.round(milliseconds * 100) / 100

/** Adds the per-invocation metrics, once the outcome is known; true when it added any. */
export function addOutcomeMetrics(
  metrics: Metrics,
  enabled: EnabledMetrics,
  outcome: Outcome,
  startedAt: number | undefined,
): boolean {
  if (enabled.invocations) metrics.addMetric('Invocations', MetricUnit.Count, 1)
  if (enabled.errors) metrics.addMetric('Errors', MetricUnit.Count, outcome.failed ? 1 : 0)
  if (enabled.timeouts) metrics.addMetric('Timeouts', MetricUnit.Count, outcome.timedOut ? 1 : 0)
  if (enabled.duration && startedAt !== undefined) {
    metrics.addMetric('Duration', MetricUnit.Milliseconds, roundToHundredths(performance.now() - startedAt))
  }
  return enabled.invocations || enabled.errors || enabled.timeouts || (enabled.duration && startedAt !== undefined)
}
