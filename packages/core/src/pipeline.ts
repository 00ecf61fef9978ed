import { maxTimerDelayMs } from './deadline.js'
import { orderKey } from './order.js'
import { print } from './report.js'
import { InvocationRequest } from './request.js'
import { isThenable } from './thenable.js'
import type { AnyHandler, AnyMiddleware, Phase, PreparedHooks, Request } from './types.js'
import { phases, validate } from './validate.js'

// Any event, context and response: the pipeline does not look inside them. Typed loosely on
// purpose: hooks get the request as `Request`, and the casts would only add noise here.
type LiveRequest = InvocationRequest<any, any, any> & Request
type Hook = (request: Request) => unknown
export type Handler = (event: unknown, context: unknown, options: Request) => unknown

export const noHandler = '[lamina] No handler, so every invocation fails: end the chain with .handler(fn).'

/** A handler-last chain's handler until `.handler(fn)` is called: every invocation fails, loudly. */
export const missingHandler: Handler = () => {
  throw new Error(noHandler)
}

/*
 * One invocation: before (in order) → handler → after (reverse); any error → onError (reverse);
 * then cleanup (reverse) for every middleware the before phase reached.
 *
 * Each step runs synchronously while hooks return plain values, and continues through `.then`
 * only from the first thenable on. A synchronous stack around an async handler therefore costs
 * one promise hop, not one per hook. Every awaited value goes through `request.settle`, which
 * races it against an armed timeout guard. `reached` counts the middlewares whose `before` ran.
 * The engine's functions close over the chain (built once per `wrap()`), so no invocation state
 * lives in them: everything about an invocation is on its request.
 */
export function createChain(hooks: PreparedHooks | undefined, handler: Handler) {
  const names: string[] = []
  const middlewares: object[] = []
  // Middlewares' hooks split by phase, indexed by registration order; a hole means "no such hook".
  const lists = phases.map((): (Hook | undefined)[] => [])
  const [before, after, onError, cleanup] = lists as [Hook[], Hook[], Hook[], Hook[]]
  // One past the last middleware with a cleanup: cleanup starts there, not at every hole above it.
  // Never past the middlewares added, so it also caps what the before phase reached.
  let cleanupEnd = 0

  // Missing event or context default to {}, as in Middy, so hooks can read properties safely.
  const invoke = (event: unknown = {}, context: unknown = {}): Promise<unknown> => {
    // Loud on every invocation it breaks, whatever the chain answers: each failing request's log has the fix.
    if (handler === missingHandler) console.error(noHandler)
    const request = new InvocationRequest(event, context) as LiveRequest
    hooks?.invocationStart(request)
    // Promise.resolve returns our own promises as they are: no extra hop on the async path.
    return Promise.resolve(walk(request, 0))
  }

  const chain = Object.assign(invoke, {
    use(middleware: AnyMiddleware | readonly AnyMiddleware[]) {
      // One level flattened: an array's items, or the middleware alone.
      const list = [middleware].flat()
      // Validate all first: a bad entry in an array adds none of it.
      list.forEach((item, offset) => {
        validate(item, names.length + offset)
      })
      for (const item of list as AnyMiddleware[]) {
        const name = item.name || `middleware #${names.length + 1}`
        // A Lamina middleware checks its own place in the chain (order.ts).
        const place = item[orderKey]
        if (typeof place === 'function') place(middlewares, names, name)
        middlewares.push(item)
        names.push(name)
        // Stryker disable next-line ConditionalExpression: always moving it only visits more empty slots
        if (item.cleanup) cleanupEnd = names.length
        // Taken out of the object and called as plain functions, as Middy does: no hook relies on
        // `this`. With lifecycle hooks, each is wrapped once here, so plain chains pay nothing.
        phases.forEach((phase, index) => {
          const hook = item[phase]
          // One list per phase, in the same order: index is always in range.
          ;(lists[index] as (Hook | undefined)[]).push(hooks && hook ? hooks.observe(phase, name, hook) : hook)
        })
      }
      return chain
    },
    handler(fn: AnyHandler) {
      if (typeof fn !== 'function') throw new TypeError('.handler(fn) takes a function.')
      handler = fn as Handler
      return chain
    },
  })

  /**
   * Walks the main line from `position`: before hooks (0 … n−1, in order), the handler (n), then
   * after hooks (n+1 … 2n, in reverse). Runs synchronously until a step returns a thenable, then
   * continues from the next position once it settles. An early answer or an error at `position`
   * goes to cleanup for the middlewares the before phase reached: those up to `position`.
   */
  function walk(request: LiveRequest, position: number): unknown {
    const count = names.length
    try {
      // A call site per phase: each sees fewer different hooks, so the engine calls them faster.
      for (; position < count; position++) {
        const hook = before[position]
        if (hook === undefined) continue
        const result = hook(request)
        if (isThenable(result)) return later(request, position, result)
        if (answered(request, result)) return finish(request, position)
      }
      if (position === count) {
        hooks?.handlerStart(request)
        // The request itself is the options object: `.signal` stays lazy and nothing is allocated.
        const result = handler(request.event, request.context, request)
        if (isThenable(result)) return later(request, position, result)
        // Stryker disable next-line UpdateOperator: a step back only visits two empty slots past the after list
        ends(request, position++, result)
      }
      for (; position <= 2 * count; position++) {
        const hook = after[2 * count - position]
        if (hook === undefined) continue
        const result = hook(request)
        if (isThenable(result)) return later(request, position, result)
        if (answered(request, result)) return finish(request, position)
      }
    } catch (error) {
      return fail(request, position, error)
    }
    return finish(request, position)
  }

  /** The step at `position` returned a thenable: the walk goes on from the next step once it settles. */
  function later(request: LiveRequest, position: number, result: PromiseLike<unknown>): unknown {
    return request.settle(result).then(
      (value) => (ends(request, position, value) ? finish(request, position) : walk(request, position + 1)),
      (error) => fail(request, position, error),
    )
  }

  /** Whether the step at `position`, which gave `value`, ends the main line: the handler's never does. */
  function ends(request: LiveRequest, position: number, value: unknown): boolean {
    if (position !== names.length) return answered(request, value)
    request.response = value
    hooks?.handlerEnd(request)
    return false
  }

  /**
   * The error path is rare: plain async code. Cleanup runs whether or not onError handled it.
   * An error thrown in onError is where Lamina parts from Middy (which stops there): the new
   * error replaces the old one, keeps it as its cause, and the remaining onError hooks still
   * run, so a failing observer cannot take an outer error mapper's answer away.
   */
  async function fail(request: LiveRequest, position: number, error: unknown): Promise<unknown> {
    try {
      takeError(request, error)
      // Stryker disable next-line ArithmeticOperator: starting past the end only visits empty slots
      for (let index = names.length - 1; index >= 0; index--) {
        const hook = onError[index]
        if (hook === undefined) continue
        let result: unknown
        try {
          result = hook(request)
          if (isThenable(result)) result = await bounded(request, 'onError', index, result)
        } catch (thrown) {
          linkCause(thrown, request.error)
          takeError(request, thrown)
          continue
        }
        if (answered(request, result)) break
      }
      if (request.response === undefined) throw request.error
    } finally {
      await finish(request, position)
    }
    return request.response
  }

  /**
   * Waits for an onError or cleanup hook's promise, but not past the invocation's deadline: the
   * process may outlive it (Managed Instances, local runtimes) and a hook that never settles must
   * not keep the invocation pending. At the deadline the hang is reported and the wait ends with
   * `undefined` (the hook answered nothing). Only a hook that returns a promise pays for the timer.
   */
  function bounded(request: LiveRequest, phase: Phase, index: number, value: PromiseLike<unknown>): Promise<unknown> {
    const remaining = request.context?.getRemainingTimeInMillis?.()
    let timer: ReturnType<typeof setTimeout> | undefined
    return new Promise((resolve, reject) => {
      // No deadline (no context, or one past setTimeout's range): wait for the hook alone.
      if (typeof remaining === 'number' && remaining <= maxTimerDelayMs) {
        timer = setTimeout(() => {
          reportFailure(
            request,
            phase,
            index,
            new Error(`${phase} still pending at the deadline: bound it by request.signal.`),
          )
          resolve(undefined)
        }, remaining)
      }
      value.then(resolve, reject)
    }).finally(() => clearTimeout(timer))
  }

  /**
   * Cleanup, in reverse, for the middlewares the before phase reached when the step at `position`
   * ended the main line (all of them once it passed the handler), then the end of the invocation.
   * Returns the response, or a promise of it from the first cleanup that returns a thenable.
   */
  function finish(request: LiveRequest, position: number): unknown {
    for (let index = Math.min(position + 1, cleanupEnd) - 1; index >= 0; index--) {
      const hook = cleanup[index]
      if (hook === undefined) continue
      try {
        const result = hook(request)
        if (isThenable(result)) {
          return bounded(request, 'cleanup', index, result)
            .then(undefined, (error) => reportFailure(request, 'cleanup', index, error))
            .then(() => finish(request, index - 1))
        }
      } catch (error) {
        reportFailure(request, 'cleanup', index, error)
      }
    }
    request.dispose()
    hooks?.invocationEnd(request)
    return request.response
  }

  /**
   * A failure that must not change the invocation's outcome (a cleanup that threw, a hook still
   * pending at the deadline): to `hooks.cleanupError` when given (shielded), else `console.error`.
   */
  function reportFailure(request: LiveRequest, phase: Phase, index: number, error: unknown): void {
    const name = names[index] as string
    if (hooks?.cleanupError) hooks.cleanupError(error, name, request)
    else print(error, `${phase} of middleware "${name}"`)
  }

  return chain
}

/**
 * Middy's two ways to answer early: a hook returns anything but `undefined`, or sets
 * `request.earlyResponse`. Takes the answer as the response and says whether there was one.
 */
function answered(request: LiveRequest, result: unknown): boolean {
  if (result === undefined && !('earlyResponse' in request)) return false
  request.response = result === undefined ? (request as { earlyResponse?: unknown }).earlyResponse : result
  return true
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
