import { lifecycleHooks, type Phase, type PreparedHooks, type Request } from '@lamina/core'
import { loadedOtelRuntime } from './runtime.js'
import { spansOf } from './state.js'

function start(request: Request, step: string, attributes: Record<string, string>): void {
  const runtime = loadedOtelRuntime()
  const spans = spansOf(request)
  if (runtime === undefined || spans === undefined) return
  const { api, tracer } = runtime
  spans.steps.set(step, tracer.startSpan(step, { attributes }, api.trace.setSpan(api.ROOT_CONTEXT, spans.span)))
}

function end(request: Request, step: string): void {
  const steps = spansOf(request)?.steps
  const span = steps?.get(step)
  if (span === undefined) return
  steps?.delete(step)
  span.end()
}

const stepName = (phase: Phase, middleware: string) => `${middleware}.${phase}`

/**
 * Lifecycle hooks that add a child span under the invocation's span for every middleware hook
 * (`validator.before`, `errorMapper.onError`…) and one for the handler (`handler`), so a trace shows
 * where an invocation's time went. Prepared (`lifecycleHooks()`), so they go straight to
 * `wrap(handler, { hooks: otelHooks() })`, with
 * `tracing({ mode: 'otel' })` in the chain; the steps that run before `tracing()`'s `before` (and
 * after its `cleanup`) are outside its span and get none.
 */
export function otelHooks(): PreparedHooks {
  return lifecycleHooks({
    hookStart(phase, middleware, request) {
      // tracing() itself opens and closes the parent span: its own steps are not children of it.
      if (middleware === 'tracing') return
      start(request, stepName(phase, middleware), { 'lamina.middleware': middleware, 'lamina.phase': phase })
    },
    hookEnd(phase, middleware, request) {
      end(request, stepName(phase, middleware))
    },
    handlerStart(request) {
      start(request, 'handler', { 'lamina.phase': 'handler' })
    },
    handlerEnd(request) {
      end(request, 'handler')
    },
  })
}
