export type TracingMode = 'xray' | 'otel'

/**
 * The mode `LAMINA_TRACING` asks for: `otel` or `xray` (any case), the X-Ray SDK when unset. A
 * value that is neither fails the function's init, naming the two: tracing that silently did
 * something else would go unnoticed until a trace is missing.
 */
export function tracingModeFromEnvironment(env: NodeJS.ProcessEnv = process.env): TracingMode {
  const value = (env.LAMINA_TRACING ?? '').trim().toLowerCase()
  if (value === '' || value === 'xray') return 'xray'
  if (value === 'otel') return 'otel'
  throw new TypeError(
    `@lamina/tracer: LAMINA_TRACING is "${env.LAMINA_TRACING}"; set it to "otel" (OpenTelemetry) or "xray" (the X-Ray SDK, the default), or unset it.`,
  )
}
