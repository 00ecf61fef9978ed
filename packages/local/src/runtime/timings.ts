// Per-middleware timings from core's process-wide lifecycle hooks, kept per request id so that
// overlapping invocations (Managed Instances) never mix.
import { lifecycleHooks, type Phase } from '@lamina/core'
import type { MiddlewareTiming, TimingPhase } from './types.js'

const hooksKey = Symbol.for('lamina.hooks')

interface Open {
  startedAt: number
  timings: MiddlewareTiming[]
  open: Map<string, number>
}

interface WithContext {
  context?: { awsRequestId?: unknown } | undefined
}

export class TimingRecorder {
  readonly #invocations = new Map<string, Open>()

  begin(requestId: string, startedAt = performance.now()) {
    this.#invocations.set(requestId, { startedAt, timings: [], open: new Map() })
  }

  /** The invocation's timings, in the order their hooks ended; forgets them. */
  end(requestId: string): MiddlewareTiming[] {
    const invocation = this.#invocations.get(requestId)
    this.#invocations.delete(requestId)
    return invocation?.timings ?? []
  }

  #of(request: WithContext) {
    const id = request?.context?.awsRequestId
    return typeof id === 'string' ? this.#invocations.get(id) : undefined
  }

  #start(phase: TimingPhase, middleware: string, request: WithContext) {
    const invocation = this.#of(request)
    invocation?.open.set(`${phase}\0${middleware}`, performance.now() - invocation.startedAt)
  }

  #stop(phase: TimingPhase, middleware: string, request: WithContext) {
    const invocation = this.#of(request)
    if (invocation === undefined) return
    const key = `${phase}\0${middleware}`
    const startMs = invocation.open.get(key)
    if (startMs === undefined) return
    invocation.open.delete(key)
    invocation.timings.push({ phase, middleware, startMs, endMs: performance.now() - invocation.startedAt })
  }

  /**
   * Installs the recorder as core's process-wide lifecycle hooks (before the user's module loads).
   * Prepared by this copy of core: the function's bundle has its own copy, which takes them as
   * plain methods.
   */
  install() {
    ;(globalThis as Record<symbol, unknown>)[hooksKey] = lifecycleHooks({
      hookStart: (phase: Phase, name: string, request: WithContext) => this.#start(phase, name, request),
      hookEnd: (phase: Phase, name: string, request: WithContext) => this.#stop(phase, name, request),
      handlerStart: (request: WithContext) => this.#start('handler', 'handler', request),
      handlerEnd: (request: WithContext) => this.#stop('handler', 'handler', request),
    })
  }

  uninstall() {
    delete (globalThis as Record<symbol, unknown>)[hooksKey]
  }
}
