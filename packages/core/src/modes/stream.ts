/**
 * The stream mode: `wrapStream(handler)` runs the same chain as `wrap()` and sends its answer
 * through Lambda's response stream (`awslambda.streamifyResponse`) instead of buffering it.
 *
 * The body is sent from inside the chain, by an internal middleware registered first: its
 * `after` runs last, once every other `after` has seen (and maybe replaced) the response, and
 * before any `cleanup`. So the deadline signal is still armed while the body flows, and cleanup
 * runs after the last byte. An answer the `after` phase never saw (a `before` answering early,
 * an `onError` answering an error) is sent once the chain has settled.
 */
import {
  type AnyHandler,
  type AnyMiddleware,
  type Context,
  type ContextAfter,
  type EventAfter,
  type HandlerOptions,
  type Middleware,
  type Request,
  type WrapOptions,
  wrap,
} from '@lamina/core'
import { type ResponseStream, type StreamResult, sendResponse } from './stream-body.js'

export type { ResponseStream, StreamBody, StreamHttpResponse, StreamResult } from './stream-body.js'

/** What Lambda calls in the stream mode: the event, the response stream, the context. */
export interface StreamingHandler<TEvent, TContext> {
  (event: TEvent, responseStream: ResponseStream, context: TContext): Promise<void>
  use(middleware: AnyMiddleware | readonly AnyMiddleware[]): StreamingHandler<TEvent, TContext>
}

/** A stream-mode handler: it answers with something the stream can carry. */
export type StreamHandlerFunction<TEvent = any, TContext = any> = (
  event: TEvent,
  context: TContext,
  options: HandlerOptions,
) => StreamResult | Promise<StreamResult>

/** Handler-last form, as `wrap<Event>()`, ending in a streaming handler. */
export interface StreamHandlerBuilder<TEvent, TContext, TInnerEvent, TInnerContext> {
  use<const M extends AnyMiddleware | readonly AnyMiddleware[]>(
    middleware: M,
  ): StreamHandlerBuilder<TEvent, TContext, EventAfter<TInnerEvent, M>, ContextAfter<TInnerContext, M>>
  handler(handler: StreamHandlerFunction<TInnerEvent, TInnerContext>): StreamingHandler<TEvent, TContext>
}

/** How far one invocation's answer got: the runtime's stream, and whether a byte has left. */
interface Delivery {
  out: ResponseStream
  started: boolean
  /** An error after the first byte: the answer cannot change any more, so it ends the invocation. */
  late?: { error: unknown }
  /** Settles when the body sent from the `after` phase has gone or failed. */
  sent?: Promise<void>
}

const delivery = Symbol('lamina.stream.delivery')
type StreamRequest = Request & { [delivery]?: Delivery | undefined }

// Lambda's runtime recognises a streaming handler by this mark; the stand-in sets the same one.
const streamingMark = Symbol.for('aws.lambda.runtime.handler.streaming')

type Runtime = { streamifyResponse?: (handler: unknown) => unknown }

/** `awslambda.streamifyResponse` inside Lambda (and the local runtime); outside, the same mark. */
function streamify<T extends object>(handler: T): T {
  const runtime = (globalThis as { awslambda?: Runtime }).awslambda
  if (typeof runtime?.streamifyResponse === 'function') return runtime.streamifyResponse(handler) as T
  return Object.assign(handler, { [streamingMark]: 'response' })
}

/**
 * Wraps a handler whose answer is streamed: a string, Buffer, ReadableStream, Node Readable or
 * async iterable, or `{ statusCode, headers, cookies, body }` with one of those as body (HTTP
 * sources: the metadata prelude goes first). `before`, `onError` and `cleanup` run as in `wrap()`.
 */
export function wrapStream<E, C = Context>(
  handler: StreamHandlerFunction<E, C>,
  options?: WrapOptions,
): StreamingHandler<E, unknown extends C ? Context : C>
export function wrapStream<TEvent = unknown, TContext = Context>(
  options?: WrapOptions,
): StreamHandlerBuilder<TEvent, TContext, TEvent, TContext>
export function wrapStream(handlerOrOptions?: AnyHandler | WrapOptions, maybeOptions?: WrapOptions): unknown {
  const handlerFirst = typeof handlerOrOptions === 'function'
  const chain = wrap(handlerFirst ? maybeOptions : (handlerOrOptions as WrapOptions | undefined)) as unknown as {
    (event: unknown, context: unknown): Promise<unknown>
    use(middleware: AnyMiddleware | readonly AnyMiddleware[]): unknown
    handler(fn: AnyHandler): unknown
  }
  // Each invocation's stream, handed from the outer function to the chain's first `before`.
  // Keyed by the invocation's own context and taken at once: nothing stays here between invocations.
  const handoff = new WeakMap<object, Delivery>()

  const sender: Middleware = {
    name: 'lamina:stream',
    before(request) {
      const found = handoff.get(request.context)
      handoff.delete(request.context)
      ;(request as StreamRequest)[delivery] = found
    },
    after(request) {
      // Always there: the hand-off and this hook belong to the same invocation.
      const state = (request as StreamRequest)[delivery] as Delivery
      const sending = sendResponse(state.out, request.response, request.signal, () => {
        state.started = true
      }).then(undefined, (error: unknown) => {
        if (state.started) state.late = { error }
        throw error
      })
      state.sent = sending.then(
        () => undefined,
        () => undefined,
      )
      return sending
    },
  }
  chain.use(sender)
  if (handlerFirst) chain.handler(handlerOrOptions as AnyHandler)

  const streaming = async (event: unknown, responseStream: ResponseStream, context: unknown = {}) => {
    // The engine makes a missing context {}: this is that object, so the hand-off finds it.
    const invocationContext = typeof context === 'object' && context !== null ? context : {}
    const state: Delivery = { out: responseStream, started: false }
    handoff.set(invocationContext, state)
    let outcome: { answer: unknown } | { error: unknown }
    try {
      outcome = { answer: await chain(event, invocationContext) }
    } catch (error) {
      outcome = { error }
    } finally {
      handoff.delete(invocationContext)
    }
    // The body's own outcome first: a timeout guard may have answered while it was still settling.
    await state.sent
    // Bytes left and then the body failed: whatever an onError answered cannot be sent any more.
    if (state.late !== undefined) throw state.late.error
    if ('error' in outcome) throw outcome.error
    if (!state.started) await sendResponse(responseStream, outcome.answer, undefined, () => undefined)
  }

  const lambdaHandler = streamify(streaming) as typeof streaming & Record<string, unknown>
  lambdaHandler.use = (middleware: AnyMiddleware | readonly AnyMiddleware[]) => {
    chain.use(middleware)
    return lambdaHandler
  }
  if (handlerFirst) return lambdaHandler
  return {
    use(middleware: AnyMiddleware | readonly AnyMiddleware[]) {
      chain.use(middleware)
      return this
    },
    handler(fn: AnyHandler) {
      chain.handler(fn)
      return lambdaHandler
    },
  }
}
