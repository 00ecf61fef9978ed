import type { InvocationRequest } from './request.js'
import type { LifecycleHooks, Phase, Request } from './types.js'

// Any event, context and response: the pipeline does not look inside them.
type LiveRequest = InvocationRequest<any, any, any>
type Hook = (request: Request) => unknown
type Handler = (event: unknown, context: unknown, options: Request) => unknown

/** Middlewares split by hook, indexed by registration order; a hole means "no such hook". */
export interface Pipeline {
  names: string[]
  // Hooks are called with their middleware as `this`, like methods.
  owners: object[]
  before: (Hook | undefined)[]
  after: (Hook | undefined)[]
  onError: (Hook | undefined)[]
  cleanup: (Hook | undefined)[]
  hasCleanup: boolean
  handler: Handler
  hooks: LifecycleHooks | undefined
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

/** Calls one hook; with lifecycle hooks, reports its start and end around it. */
function call(pipeline: Pipeline, phase: Phase, index: number, request: LiveRequest): unknown {
  const hook = pipeline[phase][index] as Hook
  const hooks = pipeline.hooks
  const owner = pipeline.owners[index]
  if (hooks === undefined) return hook.call(owner, request as unknown as Request)
  const name = pipeline.names[index] as string
  hooks.hookStart?.(phase, name, request as unknown as Request)
  const result = hook.call(owner, request as unknown as Request)
  if (!isThenable(result)) {
    hooks.hookEnd?.(phase, name, request as unknown as Request)
    return result
  }
  return Promise.resolve(result).finally(() => hooks.hookEnd?.(phase, name, request as unknown as Request))
}

// Middy's other way to answer early: a hook that sets `request.earlyResponse`.
const answeredEarly = (request: LiveRequest, result: unknown) => result !== undefined || 'earlyResponse' in request

function takeEarlyResponse(request: LiveRequest, result: unknown): void {
  request.response = result !== undefined ? result : (request as { earlyResponse?: unknown }).earlyResponse
}

/**
 * Runs one invocation: before (in order) → handler → after (reverse); any error → onError
 * (reverse); then cleanup (reverse) for every middleware the before phase reached.
 * Only thenables are awaited, so a fully synchronous stack never leaves the microtask.
 */
export async function run(pipeline: Pipeline, request: LiveRequest): Promise<unknown> {
  const count = pipeline.names.length
  const hooks = pipeline.hooks
  let reached = 0
  hooks?.invocationStart?.(request as unknown as Request)
  try {
    try {
      let early = false
      for (; reached < count; ) {
        const index = reached++
        const hook = pipeline.before[index]
        if (hook === undefined) continue
        let result =
          hooks === undefined
            ? hook.call(pipeline.owners[index], request as unknown as Request)
            : call(pipeline, 'before', index, request)
        if (isThenable(result)) result = await request.settle(result)
        if (answeredEarly(request, result)) {
          takeEarlyResponse(request, result)
          early = true
          break
        }
      }
      if (!early) {
        hooks?.handlerStart?.(request as unknown as Request)
        // The request itself is the options object: `.signal` stays lazy and nothing is allocated.
        let response = pipeline.handler(request.event, request.context, request)
        if (isThenable(response)) response = await request.settle(response)
        request.response = response
        hooks?.handlerEnd?.(request as unknown as Request)
        for (let index = count - 1; index >= 0; index--) {
          const hook = pipeline.after[index]
          if (hook === undefined) continue
          let result =
            hooks === undefined
              ? hook.call(pipeline.owners[index], request as unknown as Request)
              : call(pipeline, 'after', index, request)
          if (isThenable(result)) result = await request.settle(result)
          if (answeredEarly(request, result)) {
            takeEarlyResponse(request, result)
            break
          }
        }
      }
    } catch (error) {
      await handleError(pipeline, request, error)
    }
    return request.response
  } finally {
    if (pipeline.hasCleanup) await runCleanup(pipeline, request, reached)
    request.dispose()
    hooks?.invocationEnd?.(request as unknown as Request)
  }
}

async function handleError(pipeline: Pipeline, request: LiveRequest, error: unknown): Promise<void> {
  request.disarm()
  request.response = undefined
  delete (request as { earlyResponse?: unknown }).earlyResponse
  request.error = error
  for (let index = pipeline.names.length - 1; index >= 0; index--) {
    if (pipeline.onError[index] === undefined) continue
    let result: unknown
    try {
      result = call(pipeline, 'onError', index, request)
      if (isThenable(result)) result = await result
    } catch (thrown) {
      // Keep the original reachable: the new error explains the failure to handle the old one.
      if (thrown !== request.error && typeof thrown === 'object' && thrown !== null) {
        ;(thrown as { cause?: unknown }).cause ??= request.error
      }
      request.error = thrown
      throw thrown
    }
    if (answeredEarly(request, result)) {
      takeEarlyResponse(request, result)
      break
    }
  }
  if (request.response === undefined) throw request.error
}

async function runCleanup(pipeline: Pipeline, request: LiveRequest, reached: number): Promise<void> {
  for (let index = reached - 1; index >= 0; index--) {
    if (pipeline.cleanup[index] === undefined) continue
    try {
      const result = call(pipeline, 'cleanup', index, request)
      if (isThenable(result)) await result
    } catch (error) {
      // A failed flush must not replace the invocation's own result or error.
      const name = pipeline.names[index] as string
      const report = pipeline.hooks?.cleanupError
      if (report) report(error, name, request as unknown as Request)
      else console.error(`[lamina] cleanup of middleware "${name}" failed; the invocation's result stands:`, error)
    }
  }
}
