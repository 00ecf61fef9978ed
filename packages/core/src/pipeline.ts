import { maxTimerDelayMs } from './deadline.js'
import { report } from './report.js'
import type { InvocationRequest } from './request.js'
import { isThenable } from './thenable.js'
import type { LifecycleHooks, Phase, Request } from './types.js'

// Any event, context and response: the pipeline does not look inside them.
type LiveRequest = InvocationRequest<any, any, any>
type Hook = (request: Request) => unknown
type Handler = (event: unknown, context: unknown, options: Request) => unknown
type MaybePromise = unknown

/** Middlewares split by hook, indexed by registration order; a hole means "no such hook". */
export interface Pipeline {
  names: string[]
  before: (Hook | undefined)[]
  after: (Hook | undefined)[]
  onError: (Hook | undefined)[]
  cleanup: (Hook | undefined)[]
  handler: Handler
  /** Shielded at `wrap()` (see lifecycle.ts): calling one never throws. */
  hooks: LifecycleHooks | undefined
  /** The middlewares in the order added, for their order checks (order.ts). */
  middlewares: object[]
}

/**
 * Calls one hook as a plain function, as Middy does (no `this`); with lifecycle hooks, reports
 * its start and end around it.
 */
function call(pipeline: Pipeline, phase: Phase, index: number, hook: Hook, request: LiveRequest): unknown {
  const hooks = pipeline.hooks
  if (hooks === undefined) return hook(request as unknown as Request)
  const name = pipeline.names[index] as string
  hooks.hookStart?.(phase, name, request as unknown as Request)
  const result = hook(request as unknown as Request)
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

/*
 * One invocation: before (in order) → handler → after (reverse); any error → onError (reverse);
 * then cleanup (reverse) for every middleware the before phase reached.
 *
 * Each step runs synchronously while hooks return plain values, and continues through `.then`
 * only from the first thenable on. A synchronous stack around an async handler therefore costs
 * one promise hop, not one per hook. Every awaited value goes through `request.settle`, which
 * races it against an armed timeout guard. `reached` counts the middlewares whose `before` ran.
 */
export function run(pipeline: Pipeline, request: LiveRequest): Promise<unknown> {
  pipeline.hooks?.invocationStart?.(request as unknown as Request)
  // Promise.resolve returns our own promises as they are: no extra hop on the async path.
  return Promise.resolve(fromBefore(pipeline, request, 0))
}

function fromBefore(pipeline: Pipeline, request: LiveRequest, start: number): MaybePromise {
  const before = pipeline.before
  const count = before.length
  let reached = start
  try {
    // Stryker disable next-line EqualityOperator: at reached === count the slot is empty and the loop ends with nothing run
    while (reached < count) {
      const index = reached++
      const hook = before[index]
      if (hook === undefined) continue
      const result = call(pipeline, 'before', index, hook, request)
      if (isThenable(result)) {
        const next = reached
        return request.settle(result).then(
          (value) => afterBeforeHook(pipeline, request, next, value),
          (error) => fail(pipeline, request, next, error),
        )
      }
      if (answeredEarly(request, result)) {
        takeEarlyResponse(request, result)
        return finish(pipeline, request, reached)
      }
    }
  } catch (error) {
    return fail(pipeline, request, reached, error)
  }
  return fromHandler(pipeline, request)
}

function afterBeforeHook(pipeline: Pipeline, request: LiveRequest, reached: number, value: unknown): MaybePromise {
  if (!answeredEarly(request, value)) return fromBefore(pipeline, request, reached)
  takeEarlyResponse(request, value)
  return finish(pipeline, request, reached)
}

function fromHandler(pipeline: Pipeline, request: LiveRequest): MaybePromise {
  const count = pipeline.names.length
  let response: unknown
  try {
    pipeline.hooks?.handlerStart?.(request as unknown as Request)
    // The request itself is the options object: `.signal` stays lazy and nothing is allocated.
    response = pipeline.handler(request.event, request.context, request as unknown as Request)
  } catch (error) {
    return fail(pipeline, request, count, error)
  }
  if (!isThenable(response)) return handlerDone(pipeline, request, response)
  return request.settle(response).then(
    (value) => handlerDone(pipeline, request, value),
    (error) => fail(pipeline, request, count, error),
  )
}

function handlerDone(pipeline: Pipeline, request: LiveRequest, response: unknown): MaybePromise {
  request.response = response
  pipeline.hooks?.handlerEnd?.(request as unknown as Request)
  // Stryker disable next-line ArithmeticOperator: starting past the end only visits empty slots
  return fromAfter(pipeline, request, pipeline.names.length - 1)
}

function fromAfter(pipeline: Pipeline, request: LiveRequest, start: number): MaybePromise {
  const after = pipeline.after
  const count = after.length
  try {
    for (let index = start; index >= 0; index--) {
      const hook = after[index]
      if (hook === undefined) continue
      const result = call(pipeline, 'after', index, hook, request)
      if (isThenable(result)) {
        const next = index - 1
        return request.settle(result).then(
          (value) => afterAfterHook(pipeline, request, next, value),
          (error) => fail(pipeline, request, count, error),
        )
      }
      if (answeredEarly(request, result)) {
        takeEarlyResponse(request, result)
        break
      }
    }
  } catch (error) {
    return fail(pipeline, request, count, error)
  }
  return finish(pipeline, request, count)
}

function afterAfterHook(pipeline: Pipeline, request: LiveRequest, next: number, value: unknown): MaybePromise {
  if (!answeredEarly(request, value)) return fromAfter(pipeline, request, next)
  takeEarlyResponse(request, value)
  return finish(pipeline, request, pipeline.names.length)
}

/** The error path is rare: plain async code. Cleanup runs whether or not onError handled it. */
async function fail(pipeline: Pipeline, request: LiveRequest, reached: number, error: unknown): Promise<unknown> {
  try {
    await handleError(pipeline, request, error)
  } finally {
    await finish(pipeline, request, reached)
  }
  return request.response
}

async function handleError(pipeline: Pipeline, request: LiveRequest, error: unknown): Promise<void> {
  takeError(request, error)
  // Stryker disable next-line ArithmeticOperator: starting past the end only visits empty slots
  for (let index = pipeline.names.length - 1; index >= 0; index--) {
    const hook = pipeline.onError[index]
    if (hook === undefined) continue
    let result: unknown
    try {
      result = call(pipeline, 'onError', index, hook, request)
      if (isThenable(result)) result = await bounded(pipeline, request, 'onError', index, result)
    } catch (thrown) {
      // Where Lamina parts from Middy (which stops here): the new error replaces the old one,
      // keeps it as its cause, and the remaining onError hooks still run, so a failing observer
      // cannot take an outer error mapper's answer away.
      linkCause(thrown, request.error)
      takeError(request, thrown)
      continue
    }
    if (answeredEarly(request, result)) {
      takeEarlyResponse(request, result)
      break
    }
  }
  if (request.response === undefined) throw request.error
}

/** An error enters the error path: whatever answer was being built was for the old outcome. */
function takeError(request: LiveRequest, error: unknown): void {
  request.response = undefined
  delete (request as { earlyResponse?: unknown }).earlyResponse
  request.error = error
}

/**
 * Gives an error thrown in onError the error it replaces as its `cause`, unless it has one
 * already, the link would close a loop (a hook rethrowing `request.error.cause`), or the value
 * cannot take it (a primitive, a frozen Error, a Proxy that throws). Never throws.
 */
function linkCause(error: unknown, cause: unknown): void {
  try {
    const seen = new Set<unknown>()
    for (let link = cause; Object(link) === link && !seen.has(link); link = (link as { cause?: unknown }).cause) {
      if (link === error) return
      seen.add(link)
    }
    ;(error as { cause?: unknown }).cause ??= cause
  } catch {
    // Not extensible, or hostile: the new error goes on without a cause.
  }
}

/**
 * Waits for an onError or cleanup hook's promise, but not past the invocation's deadline: the
 * process may outlive it (Managed Instances, local runtimes) and a hook that never settles must
 * not keep the invocation pending. At the deadline the hang is reported and the wait ends with
 * `undefined` (the hook answered nothing). Only a hook that returns a promise pays for the timer.
 */
function bounded(
  pipeline: Pipeline,
  request: LiveRequest,
  phase: Phase,
  index: number,
  value: PromiseLike<unknown>,
): Promise<unknown> {
  const remaining = (
    request.context as { getRemainingTimeInMillis?: () => unknown } | null
  )?.getRemainingTimeInMillis?.()
  if (typeof remaining !== 'number' || !(remaining <= maxTimerDelayMs)) return Promise.resolve(value)
  let timer: ReturnType<typeof setTimeout> | undefined
  return new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      const error = new Error(
        `${phase} still pending at the deadline; the invocation ended without it. Bound it by request.signal.`,
      )
      reportFailure(pipeline, request, phase, index, error)
      resolve(undefined)
    }, remaining)
    value.then(resolve, reject)
  }).finally(() => clearTimeout(timer))
}

/** Cleanup, then the end of the invocation; returns the response (or a promise of it). */
function finish(pipeline: Pipeline, request: LiveRequest, reached: number): MaybePromise {
  const cleaning = runCleanup(pipeline, request, reached)
  if (cleaning === undefined) return end(pipeline, request)
  return cleaning.then(() => end(pipeline, request))
}

function end(pipeline: Pipeline, request: LiveRequest): unknown {
  request.dispose()
  pipeline.hooks?.invocationEnd?.(request as unknown as Request)
  return request.response
}

/** Runs cleanup hooks from `from - 1` down to 0; goes async only at the first thenable. */
function runCleanup(pipeline: Pipeline, request: LiveRequest, from: number): Promise<void> | undefined {
  for (let index = from - 1; index >= 0; index--) {
    const hook = pipeline.cleanup[index]
    if (hook === undefined) continue
    try {
      const result = call(pipeline, 'cleanup', index, hook, request)
      if (isThenable(result)) {
        return bounded(pipeline, request, 'cleanup', index, result)
          .then(undefined, (error) => reportFailure(pipeline, request, 'cleanup', index, error))
          .then(() => runCleanup(pipeline, request, index))
      }
    } catch (error) {
      reportFailure(pipeline, request, 'cleanup', index, error)
    }
  }
  return undefined
}

// A failed flush must not replace the invocation's own result or error.
function reportFailure(pipeline: Pipeline, request: LiveRequest, phase: Phase, index: number, error: unknown): void {
  report(pipeline.hooks, error, pipeline.names[index] as string, phase, request as unknown as Request)
}
