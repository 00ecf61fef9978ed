export { MetricResolution, Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
export type { MetricsOptions } from './metrics.js'
export { metrics } from './metrics.js'
export type { StandardMetrics } from './standard-metrics.js'
