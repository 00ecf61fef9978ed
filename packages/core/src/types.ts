import type { Context } from './context.js'
import type { OrderPlace, orderKey } from './order.js'

/** What every hook receives: Middy's request, plus the lazily created deadline signal. */
export interface Request<TEvent = any, TContext = Context, TResponse = any> {
  event: TEvent
  context: TContext
  response: TResponse | undefined
  // `any`, not `unknown`: Middy types it `Error | null | undefined`, and its middlewares must fit.
  error: any
  internal: Record<string, any>
  readonly signal: AbortSignal
}

/**
 * How a middleware changes the types the handler sees. Declared by the middleware author on
 * the phantom `~lamina` property; `.use()` applies it.
 * - `event`: properties replaced on the inner event (e.g. `{ body: Order }`);
 * - `eventType`: the whole inner event replaced;
 * - `context`: properties added to the context (e.g. `{ secrets: { db: DbCreds } }`).
 */
export interface Flow {
  event?: object
  eventType?: unknown
  context?: object
}

/** A hook may return synchronously or a promise; anything but `undefined` has meaning (see README). */
export type HookResult = unknown

/**
 * One hook, typed as a method would be (bivariant in its request), so Middy's and Powertools'
 * middleware objects (typed with their own request types) are accepted as-is.
 */
type Hook<TRequest> = { hook(request: TRequest): HookResult }['hook']

/**
 * A middleware: any of the four hooks. Every optional property also takes `undefined`, so objects
 * typed elsewhere (`before?: Fn | undefined`) fit under `exactOptionalPropertyTypes`.
 */
export interface Middleware<TFlow extends Flow = {}, TEvent = any, TContext = any, TResponse = any> {
  name?: string | undefined
  before?: Hook<Request<TEvent, TContext, TResponse>> | undefined
  after?: Hook<Request<TEvent, TContext, TResponse>> | undefined
  onError?: Hook<Request<TEvent, TContext, TResponse>> | undefined
  cleanup?: Hook<Request<TEvent, TContext, TResponse>> | undefined
  /** Type-level only: never set at run time. */
  readonly '~lamina'?: TFlow | undefined
  /** A Lamina middleware's place in the one order of Lamina's own middlewares (`orderRank`). */
  readonly [orderKey]?: OrderPlace | undefined
}

/** The handler's third argument, as in Middy. */
export interface HandlerOptions {
  readonly signal: AbortSignal
}

/**
 * Lifecycle hooks for tools (timing, the dev server). None given: none paid for. Given per chain
 * (`wrap(handler, { hooks })`) or process-wide on `globalThis[Symbol.for('lamina.hooks')]`, set
 * before the function's module calls `wrap()` (a chain reads it once, when it is created).
 */
export interface LifecycleHooks {
  invocationStart?: ((request: Request) => void) | undefined
  invocationEnd?: ((request: Request) => void) | undefined
  hookStart?: ((phase: Phase, middleware: string, request: Request) => void) | undefined
  hookEnd?: ((phase: Phase, middleware: string, request: Request) => void) | undefined
  handlerStart?: ((request: Request) => void) | undefined
  handlerEnd?: ((request: Request) => void) | undefined
  /**
   * Something failed that must not change the invocation's outcome: a cleanup threw, an onError or
   * cleanup was still pending at the deadline (`middleware` is its name), or another lifecycle
   * hook threw or rejected (`middleware` is `hooks.<name>`). Default: `console.error`, with
   * registered secrets masked.
   */
  cleanupError?: ((error: unknown, middleware: string, request: Request) => void) | undefined
}

export type Phase = 'before' | 'after' | 'onError' | 'cleanup'

export interface WrapOptions {
  hooks?: LifecycleHooks | undefined
}

type Simplify<T> = { [K in keyof T]: T[K] } & {}
type Merge<A, B> = Simplify<Omit<A, keyof B> & B>

/** The flow a middleware declares, or none for a plain (Middy, Powertools) middleware. */
export type FlowOf<M> = M extends { readonly '~lamina'?: infer F } ? (unknown extends F ? {} : NonNullable<F>) : {}

export type ApplyEvent<E, F> = F extends { eventType: infer T }
  ? T
  : F extends { event: infer P extends object }
    ? Merge<E, P>
    : E

export type ApplyContext<C, F> = F extends { context: infer A extends object } ? Merge<C, A> : C

type ApplyAllEvent<E, Ms> = Ms extends readonly [infer Head, ...infer Tail]
  ? ApplyAllEvent<ApplyEvent<E, FlowOf<Head>>, Tail>
  : E
type ApplyAllContext<C, Ms> = Ms extends readonly [infer Head, ...infer Tail]
  ? ApplyAllContext<ApplyContext<C, FlowOf<Head>>, Tail>
  : C

/** Anything `.use()` accepts: one middleware or an array of them (applied in order). */
export type AnyMiddleware = Middleware<any, any, any, any>

export type EventAfter<E, M> = M extends readonly unknown[] ? ApplyAllEvent<E, M> : ApplyEvent<E, FlowOf<M>>
export type ContextAfter<C, M> = M extends readonly unknown[] ? ApplyAllContext<C, M> : ApplyContext<C, FlowOf<M>>

/** What Lambda calls. */
export type LambdaHandler<TEvent, TContext, TResult> = (event: TEvent, context: TContext) => Promise<TResult>

/** A wrapped handler: callable by Lambda, and `.use()` adds middlewares (types unchanged). */
export interface WrappedHandler<TEvent, TContext, TResult> extends LambdaHandler<TEvent, TContext, TResult> {
  use(middleware: AnyMiddleware | readonly AnyMiddleware[]): WrappedHandler<TEvent, TContext, TResult>
}

/**
 * Handler-last form: each `.use()` transforms the inner view (what the handler sees);
 * the outer view (what Lambda calls) stays the raw event and context.
 */
export interface HandlerBuilder<TEvent, TContext, TInnerEvent, TInnerContext> {
  use<const M extends AnyMiddleware | readonly AnyMiddleware[]>(
    middleware: M,
  ): HandlerBuilder<TEvent, TContext, EventAfter<TInnerEvent, M>, ContextAfter<TInnerContext, M>>
  handler<TResult>(
    handler: (event: TInnerEvent, context: TInnerContext, options: HandlerOptions) => TResult,
  ): WrappedHandler<TEvent, TContext, Awaited<TResult>>
}

/** Any function Lambda could call. */
export type AnyHandler = (event: any, context: any, options: HandlerOptions) => unknown
