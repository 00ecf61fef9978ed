import type { Context } from './context.js'
import { createChain, type Handler, missingHandler } from './pipeline.js'
import type { AnyHandler, HandlerBuilder, PreparedHooks, WrapOptions, WrappedHandler } from './types.js'

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
  // Tools that run a function they did not write (the local runtime, a profiler) set process-wide
  // hooks before the function's module loads; a chain's own `hooks` option wins over them.
  const hooks = options?.hooks ?? (globalThis as Record<symbol, PreparedHooks | undefined>)[Symbol.for('lamina.hooks')]
  // Options are an object, and hooks only ones made by lifecycleHooks() (this copy's or another's):
  // the engine calls their methods bare.
  if ((options !== undefined && Object(options) !== options) || (hooks && typeof hooks.observe !== 'function')) {
    throw new TypeError("wrap() options must be an object; hooks from lifecycleHooks() of '@lamina/core'.")
  }
  return createChain(hooks, handlerFirst ? (handlerOrOptions as Handler) : missingHandler)
}
