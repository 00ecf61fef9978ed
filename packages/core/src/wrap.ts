import type { Context } from './context.js'
import { shieldHooks } from './lifecycle.js'
import { createChain, type Handler, missingHandler } from './pipeline.js'
import type { AnyHandler, HandlerBuilder, WrapOptions, WrappedHandler } from './types.js'

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
    throw new TypeError('wrap() options must be an object like { hooks }.')
  }
  return createChain(
    options?.hooks && shieldHooks(options.hooks),
    handlerFirst ? (handlerOrOptions as Handler) : missingHandler,
  )
}
