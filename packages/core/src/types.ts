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
 * Lifecycle hooks for tools (timing, the dev server), as written: pass them through
 * `lifecycleHooks()` to get what `wrap(handler, { hooks })` and the process-wide
 * `globalThis[Symbol.for('lamina.hooks')]` take. None given: none paid for.
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

/**
 * Lifecycle hooks made by `lifecycleHooks()`: each one shielded (it can neither throw into the
 * invocation nor leave an unhandled rejection), plus the per-middleware timing wrapper. Plain
 * methods, no class: another copy of core (a tool's, setting the process-wide hooks) makes them
 * for this one. A raw `LifecycleHooks` object is not one (a compile error, and a `TypeError` at
 * `wrap()`).
 */
export interface PreparedHooks {
  /** Type-level only: what sets hooks made by `lifecycleHooks()` apart from raw ones. */
  readonly '~lamina.hooks': 'prepared'
  invocationStart(request: Request): void
  invocationEnd(request: Request): void
  handlerStart(request: Request): void
  handlerEnd(request: Request): void
  /** Present only when given: without it the engine writes the failure to `console.error`. */
  cleanupError?: ((error: unknown, middleware: string, request: Request) => void) | undefined
  /** A middleware's hook wrapped to report to `hookStart`/`hookEnd` (the hook itself when neither is given). */
  observe(phase: Phase, middleware: string, hook: (request: Request) => unknown): (request: Request) => unknown
}

export interface WrapOptions {
  /** Made by `lifecycleHooks({ ... })`; a raw object is refused. */
  hooks?: PreparedHooks | undefined
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
