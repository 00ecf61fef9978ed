import type { Middleware } from '@lamina/core'
// Powertools' types through our packages: this package depends on them, not on Powertools.
import { type Logger, type LoggingOptions, logging } from '@lamina/logger'
import { type Metrics, type MetricsOptions, metrics } from '@lamina/metrics'
import { type TracingOptions, tracing } from '@lamina/tracer'

export interface ObservabilityOptions {
  logger?: LoggingOptions
  tracer?: TracingOptions
  metrics?: MetricsOptions
}

/** The three middlewares, outermost first, as `.use()` takes them. */
export type ObservabilityMiddlewares = readonly [
  tracing: Middleware,
  logging: Middleware<{ context: { logger: Logger } }>,
  metrics: Middleware<{ context: { metrics: Metrics } }>,
]

/**
 * Tracing, logging and metrics in the order that makes each one see the others' work:
 * - tracing outermost, so its subsegment spans the other two and their time;
 * - logging next, so the error line is written before metrics and tracing record it, and the
 *   request keys are on every line the inner middlewares write;
 * - metrics innermost of the three, so its Duration is the handler's and its `cleanup` (which
 *   runs first of the three, in reverse) publishes while the subsegment is still open.
 *
 * Put `timeoutGuard()` before it (first of all: its deadline covers everything) and
 * `errorMapper()` between the guard and it, so the mapper's `onError` runs last, after the error
 * was logged, counted and traced:
 * `.use(timeoutGuard()).use(errorMapper()).use(observability()).use(validator(...))`.
 */
export function observability(options: ObservabilityOptions = {}): ObservabilityMiddlewares {
  return [tracing(options.tracer), logging(options.logger), metrics(options.metrics)] as const
}
