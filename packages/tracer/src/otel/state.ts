import type { Request } from '@lamina/core'
import type { Span } from '@opentelemetry/api'
import type { ContextBox } from './context-manager.js'

/** One invocation's spans, on its own request: overlapping invocations never share them. */
export interface InvocationSpans {
  span: Span
  /** The box this invocation's flow holds: emptied when it ends, so a flow it leaked into sees no span. */
  box: ContextBox
  /** The flow's box before this invocation entered its own (restored in cleanup). */
  previous: ContextBox | undefined
  /** The error was recorded (its status, with its message, must stay). */
  failed: boolean
  /** Child spans open for the lifecycle hooks' steps ("validator.before", "handler"). */
  steps: Map<string, Span>
}

const spansKey = Symbol('lamina.tracer.otel')
type TracedRequest = { [spansKey]?: InvocationSpans | undefined }

export const spansOf = (request: Request): InvocationSpans | undefined => (request as TracedRequest)[spansKey]

export function setSpans(request: Request, spans: InvocationSpans | undefined): void {
  ;(request as TracedRequest)[spansKey] = spans
}
