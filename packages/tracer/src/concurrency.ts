/**
 * Whether this process may run invocations concurrently: Lambda Managed Instances set
 * `AWS_LAMBDA_MAX_CONCURRENCY` to the number of invocations one process may run at once. A value
 * that is not a number is read as concurrent, like the runtime client does (it switches to
 * concurrent dispatch whenever the variable is set).
 */
export function runsInvocationsConcurrently(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.AWS_LAMBDA_MAX_CONCURRENCY
  if (value === undefined || value.trim() === '') return false
  const max = Number(value)
  return !(Number.isFinite(max) && max <= 1)
}

let warned = false

/**
 * Says once per process why `tracing()` records nothing here and what to do. The X-Ray SDK keeps
 * one current segment per process, so under concurrent invocations a subsegment is sent under
 * whichever invocation's trace id was read last: no trace at all is better than a wrong one.
 */
export function warnTracingOffUnderConcurrency(maxConcurrency: string | undefined): void {
  if (warned) return
  warned = true
  console.warn(
    `@lamina/tracer: X-Ray tracing is off. AWS_LAMBDA_MAX_CONCURRENCY is ${maxConcurrency}, so this process runs ` +
      'invocations concurrently (Lambda Managed Instances), and the X-Ray SDK keeps one current segment per ' +
      "process: subsegments would be sent under other invocations' trace ids. To trace inside the handler, use " +
      "the OpenTelemetry mode (LAMINA_TRACING=otel or tracing({ mode: 'otel' })), or run with a maximum " +
      'concurrency of 1 per execution environment; to silence this warning, pass ' +
      'tracing({ enabled: false }).',
  )
}
