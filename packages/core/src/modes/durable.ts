/**
 * The durable mode: `wrapDurable(handler)` runs the same chain as `wrap()` inside
 * `withDurableExecution` from `@aws/durable-execution-sdk-js` (an optional peer dependency: only
 * this entry needs it). The handler and every middleware get the SDK's `DurableContext`, which
 * also carries the Lambda context's fields, so middlewares written for Lambda read what they
 * expect: `awsRequestId`, `functionName`, and `getRemainingTimeInMillis()` (this invocation's own
 * deadline, behind `request.signal`), plus `durableExecutionArn`.
 *
 * A durable function is invoked many times for one execution: each invocation replays the
 * completed steps from the checkpoint and runs on from there, until a wait or a callback
 * suspends it. So, per invocation:
 * - `before` and `cleanup` run every time (cleanup also when the SDK suspends the execution:
 *   the handler's promise never settles then, and the mode ends the chain itself);
 * - `after` runs once, in the invocation where the handler returns; `onError` where it throws;
 * - a logger or metrics a middleware put on the context (Lamina's `logging()` and `metrics()`,
 *   Powertools) is made replay-aware for the handler: lines and metrics the handler writes while
 *   the SDK replays are dropped, so work recorded in steps is not logged or counted twice; and
 *   both carry the execution's id (`durable_execution_arn`: a log key, EMF metadata).
 */
import {
  type DurableContext,
  type DurableExecutionConfig,
  type DurableLambdaHandler,
  withDurableExecution,
} from '@aws/durable-execution-sdk-js'
import {
  type AnyHandler,
  type AnyMiddleware,
  type Context,
  type ContextAfter,
  type EventAfter,
  type HandlerOptions,
  type Request,
  type WrapOptions,
  wrap,
} from '@lamina/core'

export interface DurableWrapOptions extends WrapOptions {
  /** Passed to `withDurableExecution`: a client, a custom transport, instrumentation plugins. */
  durable?: DurableExecutionConfig | undefined
}

/** What a durable handler and its middlewares see: the SDK's context, with the Lambda context's fields. */
export type DurableHandlerContext = DurableContext & Context & { readonly durableExecutionArn: string }

/** A durable handler, as `withDurableExecution` takes it, with the engine's third argument. */
export type DurableHandlerFunction<TEvent = any, TContext = DurableHandlerContext, TResult = unknown> = (
  event: TEvent,
  context: TContext,
  options: HandlerOptions,
) => Promise<TResult> | TResult

/** What Lambda calls: the SDK's handler; `.use()` adds middlewares. */
export interface DurableHandler extends DurableLambdaHandler {
  use(middleware: AnyMiddleware | readonly AnyMiddleware[]): DurableHandler
}

/** Handler-last form, as `wrap<Event>()`: `.use()` narrows what the durable handler sees. */
export interface DurableHandlerBuilder<TInnerEvent, TInnerContext> {
  use<const M extends AnyMiddleware | readonly AnyMiddleware[]>(
    middleware: M,
  ): DurableHandlerBuilder<EventAfter<TInnerEvent, M>, ContextAfter<TInnerContext, M>>
  handler(handler: DurableHandlerFunction<TInnerEvent, TInnerContext>): DurableHandler
}

/** One Lambda invocation of a durable execution, as the mode follows it. */
interface Invocation {
  /** Ends the handler's wait when the SDK has suspended the execution (set once the handler runs). */
  release?: () => void
  /** The chain, once started, and whether it has settled. */
  running?: Promise<unknown>
  settled: boolean
}

const suspended = Symbol('lamina.durable.suspended')
type DurableRequest = Request & { [suspended]?: true }

// The Lambda context's fields copied onto the DurableContext (Middy copies the same ones).
const lambdaFields = [
  'functionName',
  'functionVersion',
  'invokedFunctionArn',
  'memoryLimitInMB',
  'awsRequestId',
  'logGroupName',
  'logStreamName',
  'identity',
  'clientContext',
  'tenantId',
  'callbackWaitsForEmptyEventLoop',
] as const

const levels = ['log', 'debug', 'info', 'warn', 'error', 'critical'] as const
type Loose = Record<PropertyKey, any>
const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null

/** Gives the DurableContext the Lambda context's fields and the execution's id. */
function adopt(durable: Loose): void {
  const lambda: Loose = durable.lambdaContext
  for (const field of lambdaFields) if (field in lambda && !(field in durable)) durable[field] = lambda[field]
  durable.getRemainingTimeInMillis = () => lambda.getRemainingTimeInMillis()
  durable.durableExecutionArn = durable.executionContext.durableExecutionArn
}

/**
 * Whether the SDK is replaying at this point of the handler. The SDK answers it only through its
 * replay-aware logger (a line written while replaying is dropped), so the mode puts a relay
 * behind that logger and asks it with a line nobody sees. Everything else goes on to the logger
 * the SDK had.
 */
function replayProbe(durable: DurableContext): () => boolean {
  const original = durable.logger as Loose
  let probing = false
  let heard = false
  const relay: Loose = {}
  for (const level of levels.filter((name) => typeof original[name] === 'function')) {
    relay[level] = (...args: unknown[]) => {
      if (probing) heard = true
      else return original[level](...args)
    }
  }
  durable.configureLogger({ customLogger: relay as never })
  const gate = durable.logger
  return () => {
    probing = true
    heard = false
    gate.debug('')
    probing = false
    return !heard
  }
}

/** `target` with the named methods doing nothing while the SDK replays. */
function replayAware<T extends object>(target: T, methods: readonly string[], replaying: () => boolean): T {
  return new Proxy(target, {
    get(object, key) {
      const value = Reflect.get(object, key, object)
      if (typeof value !== 'function') return value
      const quiet = methods.includes(key as string)
      return (...args: unknown[]) => (quiet && replaying() ? undefined : value.apply(object, args))
    },
  })
}

/** Makes what the middlewares put on the context replay-aware, and labels it with the execution's id. */
function observe(durable: Loose, sdkLogger: unknown, replaying: () => boolean): void {
  const id = durable.durableExecutionArn
  const logger = durable.logger
  if (logger !== sdkLogger && isObject(logger)) {
    if (typeof logger.appendKeys === 'function') logger.appendKeys({ durable_execution_arn: id })
    durable.logger = replayAware(logger, levels, replaying)
  }
  const metrics = durable.metrics
  if (isObject(metrics) && typeof metrics.addMetric === 'function') {
    if (typeof metrics.addMetadata === 'function') metrics.addMetadata('durable_execution_arn', id)
    durable.metrics = replayAware(metrics, ['addMetric'], replaying)
  }
}

/** A middleware whose `after` stands aside in an invocation the SDK suspended (there is no answer yet). */
function afterUnlessSuspended(middleware: AnyMiddleware): AnyMiddleware {
  const after = middleware.after
  if (typeof after !== 'function') return middleware
  // Everything else (name, other hooks, order rank) is read through the prototype: the same middleware.
  return Object.assign(Object.create(middleware) as AnyMiddleware, {
    after: (request: Request) => ((request as DurableRequest)[suspended] ? undefined : after(request)),
  })
}

/**
 * Wraps a durable handler in the middleware engine and `withDurableExecution`. The handler gets
 * the SDK's `DurableContext` (steps, waits, callbacks, map, parallel) with the Lambda context's
 * fields; `.use()` adds middlewares as with `wrap()`.
 */
export function wrapDurable<E, C = DurableHandlerContext>(
  handler: DurableHandlerFunction<E, C>,
  options?: DurableWrapOptions,
): DurableHandler
export function wrapDurable<TEvent = unknown>(
  options?: DurableWrapOptions,
): DurableHandlerBuilder<TEvent, DurableHandlerContext>
export function wrapDurable(
  handlerOrOptions?: AnyHandler | DurableWrapOptions,
  maybeOptions?: DurableWrapOptions,
): unknown {
  const handlerFirst = typeof handlerOrOptions === 'function'
  const options = (handlerFirst ? maybeOptions : handlerOrOptions) as DurableWrapOptions | undefined
  if (options !== undefined && !isObject(options)) {
    throw new TypeError('wrapDurable() options must be an object like { hooks, durable }.')
  }
  const { durable: config, ...wrapOptions } = options ?? {}
  const chain = wrap(wrapOptions) as unknown as {
    (event: unknown, context: unknown): Promise<unknown>
    use(middleware: AnyMiddleware | readonly AnyMiddleware[]): unknown
    handler(fn: AnyHandler): unknown
  }
  // The invocations running now, by their Lambda context: each entry lives while its invocation does.
  const invocations = new WeakMap<object, Invocation>()
  // The SDK's own logger and the replay probe of each DurableContext, made before the middlewares run.
  const probes = new WeakMap<object, { sdkLogger: unknown; replaying: () => boolean }>()

  const use = (middleware: AnyMiddleware | readonly AnyMiddleware[]) => {
    const list = Array.isArray(middleware) ? middleware : [middleware]
    chain.use(list.map((item) => (isObject(item) ? afterUnlessSuspended(item as AnyMiddleware) : item)))
  }

  const setHandler = (fn: AnyHandler) => {
    // The engine passes the request itself as the handler's options (`{ signal }` and more).
    chain.handler((event: unknown, durable: Loose, options: HandlerOptions) => {
      const request = options as Request
      const invocation = invocations.get(durable.lambdaContext) as Invocation
      const probe = probes.get(durable) as { sdkLogger: unknown; replaying: () => boolean }
      observe(durable, probe.sdkLogger, probe.replaying)
      let work: Promise<unknown>
      try {
        work = Promise.resolve(fn(event, durable, request))
      } catch (error) {
        work = Promise.reject(error)
      }
      return new Promise((resolve, reject) => {
        invocation.release = () => {
          ;(request as DurableRequest)[suspended] = true
          resolve(undefined)
        }
        work.then(resolve, reject)
      })
    })
  }
  if (handlerFirst) setHandler(handlerOrOptions as AnyHandler)

  const inner = (event: unknown, durable: DurableContext): Promise<unknown> => {
    const invocation = invocations.get(durable.lambdaContext) as Invocation
    adopt(durable as unknown as Loose)
    const replaying = replayProbe(durable)
    probes.set(durable, { sdkLogger: durable.logger, replaying })
    const running = chain(event, durable)
    invocation.running = running
    const settle = () => {
      invocation.settled = true
    }
    running.then(settle, settle)
    return running
  }
  const sdkHandler = withDurableExecution(inner, config)

  const lambdaHandler = (async (event, context) => {
    const invocation: Invocation = { settled: false }
    invocations.set(context, invocation)
    try {
      const output = await sdkHandler(event, context)
      // The SDK answered while the handler still waits (a wait, a callback, a retry later): it
      // suspended this invocation. End the chain without an answer, so cleanup runs now.
      if (invocation.running !== undefined && !invocation.settled && invocation.release !== undefined) {
        invocation.release()
        // Never rejects: with no answer and no error, the chain goes straight to cleanup.
        await invocation.running
      }
      return output
    } finally {
      invocations.delete(context)
    }
  }) as DurableHandler
  lambdaHandler.use = (middleware) => {
    use(middleware)
    return lambdaHandler
  }
  if (handlerFirst) return lambdaHandler
  return {
    use(middleware: AnyMiddleware | readonly AnyMiddleware[]) {
      use(middleware)
      return this
    },
    handler(fn: AnyHandler) {
      setHandler(fn)
      return lambdaHandler
    },
  }
}
