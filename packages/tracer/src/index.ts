export { runsInvocationsConcurrently } from './concurrency.js'
export { tracingEnabledByEnvironment } from './enabled.js'
export type { TracingOptions } from './tracing.js'
export { tracing } from './tracing.js'
