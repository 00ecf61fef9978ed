import type { Context } from './context.js'
import { shieldHooks } from './lifecycle.js'
import { orderKey } from './order.js'
import { type Pipeline, run } from './pipeline.js'
import { InvocationRequest } from './request.js'
import type { AnyHandler, AnyMiddleware, HandlerBuilder, WrapOptions, WrappedHandler } from './types.js'

const hookNames = ['before', 'after', 'onError', 'cleanup'] as const

const noHandler =
  '[lamina] No handler, so every invocation fails: end the chain with .handler(fn), as in wrap<Event>().use(m).handler(fn).'

const missingHandler = () => {
  throw new Error(noHandler)
}

function describe(middleware: unknown, position: number): string {
  const name = (middleware as { name?: unknown } | null)?.name
  return typeof name === 'string' && name !== '' ? `middleware "${name}"` : `middleware #${position + 1}`
}

function refuse(middleware: unknown, position: number, problem: string): never {
  throw new TypeError(
    `${describe(middleware, position)} ${problem}; .use() takes an object with before, after, onError or cleanup functions.`,
  )
}

/** Checks a middleware when it is added, so a mistake fails at init, not on the first event. */
function validate(middleware: unknown, position: number): asserts middleware is AnyMiddleware {
  if ((typeof middleware !== 'object' && typeof middleware !== 'function') || middleware === null) {
    refuse(middleware, position, `is ${middleware === null ? 'null' : typeof middleware}`)
  }
  let hasHook = false
  for (const hook of hookNames) {
    const value = (middleware as Record<string, unknown>)[hook]
    if (value === undefined) continue
    if (typeof value !== 'function') refuse(middleware, position, `has a "${hook}" that is ${typeof value}`)
    hasHook = true
  }
  // A factory passed uncalled is a function with no hooks: the one mistake worth naming.
  if (!hasHook)
    refuse(middleware, position, 'has no hooks: pass what the factory returns, .use(logging()) not .use(logging)')
}

function add(pipeline: Pipeline, middleware: AnyMiddleware): void {
  const name = middleware.name || `middleware #${pipeline.names.length + 1}`
  // A Lamina middleware checks its own place in the chain (order.ts).
  const place = middleware[orderKey]
  if (typeof place === 'function') place(pipeline.middlewares, pipeline.names, name)
  pipeline.middlewares.push(middleware)
  pipeline.names.push(name)
  // Taken out of the object and called as plain functions, as Middy does: no hook relies on `this`.
  for (const hook of hookNames) pipeline[hook].push(middleware[hook])
}

function createWrapped(pipeline: Pipeline) {
  // Missing event or context default to {}, as in Middy, so hooks can read properties safely.
  const invoke = (event: unknown = {}, context: unknown = {}) => {
    // Loud on every invocation it breaks, whatever the chain answers: each failing request's log has the fix.
    if (pipeline.handler === missingHandler) console.error(noHandler)
    return run(pipeline, new InvocationRequest(event, context))
  }
  const wrapped = Object.assign(invoke, {
    use(middleware: AnyMiddleware | readonly AnyMiddleware[]) {
      const list = Array.isArray(middleware) ? middleware : [middleware]
      // Validate all first: a bad entry in an array adds none of it.
      for (const [offset, item] of list.entries()) validate(item, pipeline.names.length + offset)
      for (const item of list) add(pipeline, item)
      return wrapped
    },
    handler(handler: AnyHandler) {
      if (typeof handler !== 'function') {
        throw new TypeError(`.handler() takes the function Lambda should run; got ${typeof handler}.`)
      }
      pipeline.handler = handler as Pipeline['handler']
      return wrapped
    },
  })
  return wrapped
}

type EventOf<H> = H extends (event: infer E, ...rest: any[]) => unknown ? E : never
type ContextOf<H> = H extends (event: any, context: infer C, ...rest: any[]) => unknown
  ? unknown extends C
    ? Context
    : C
  : Context
type ResultOf<H> = H extends (...args: any[]) => infer R ? Awaited<R> : never

/**
 * Wraps a Lambda handler in the middleware engine.
 *
 * - `wrap(handler)`: Middy style; types come from the handler's own signature.
 * - `wrap<Event>().use(...).handler(fn)`: each `.use()` narrows what `fn` sees.
 */
export function wrap<H extends AnyHandler>(
  handler: H,
  options?: WrapOptions,
): WrappedHandler<EventOf<H>, ContextOf<H>, ResultOf<H>>
export function wrap<TEvent = unknown, TContext = Context>(
  options?: WrapOptions,
): HandlerBuilder<TEvent, TContext, TEvent, TContext>
export function wrap(handlerOrOptions?: AnyHandler | WrapOptions, maybeOptions?: WrapOptions): unknown {
  const handlerFirst = typeof handlerOrOptions === 'function'
  const options = handlerFirst ? maybeOptions : handlerOrOptions
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError('wrap() options must be an object like { hooks }; pass the handler first or use .handler(fn).')
  }
  const pipeline: Pipeline = {
    names: [],
    before: [],
    after: [],
    onError: [],
    cleanup: [],
    handler: handlerFirst ? (handlerOrOptions as Pipeline['handler']) : missingHandler,
    hooks: options?.hooks && shieldHooks(options.hooks),
    middlewares: [],
  }
  return createWrapped(pipeline)
}
