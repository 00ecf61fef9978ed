// Outgoing calls' spans, when @lamina/tracer's OpenTelemetry mode is on in this process. It puts
// what it needs on globalThis under Symbol.for('lamina.otel'), so this package imports nothing of
// OpenTelemetry or of the tracer: with the mode off, the lookup below finds nothing and every
// call goes out untouched.

/** A client span in flight: ended with the call's HTTP status, or with the error it failed with. */
export interface OutgoingSpan {
  end(outcome: { statusCode?: number | undefined; error?: unknown }): void
}

/** What @lamina/tracer's OpenTelemetry mode provides (see its README). */
export interface OutgoingTracing {
  /**
   * Starts a client span under the invocation running in this flow and writes its trace headers
   * into `headers`. Undefined outside an invocation.
   */
  start(
    name: string,
    attributes: Record<string, string | number | boolean>,
    headers: Record<string, string>,
  ): OutgoingSpan | undefined
}

const outgoingKey = Symbol.for('lamina.otel')

/** The OpenTelemetry mode's outgoing tracing, when it is on in this process. */
export const outgoingTracing = (): OutgoingTracing | undefined =>
  (globalThis as Record<symbol, OutgoingTracing | undefined>)[outgoingKey]

type SdkMiddleware = (
  next: (args: { request: unknown }) => Promise<{ response: unknown }>,
  context: { clientName?: string; commandName?: string },
) => (args: { request: unknown }) => Promise<{ response: unknown }>

interface SdkClient {
  middlewareStack: { add(middleware: SdkMiddleware, options: Record<string, unknown>): void }
}

const isSdkClient = (value: unknown): value is SdkClient =>
  typeof (value as SdkClient | null)?.middlewareStack?.add === 'function'

const traced = new WeakSet<object>()
const statusOf = (value: unknown) => {
  const code = value as { statusCode?: unknown; $metadata?: { httpStatusCode?: unknown } } | null | undefined
  const status = code?.statusCode ?? code?.$metadata?.httpStatusCode
  return typeof status === 'number' ? status : undefined
}

/** A span per operation (`SecretsManager.DescribeSecret`), its trace headers on the request. */
const sdkTracing: SdkMiddleware = (next, context) => async (args) => {
  const tracing = outgoingTracing()
  const headers = (args.request as { headers?: Record<string, string> } | null)?.headers
  if (tracing === undefined || typeof headers !== 'object' || headers === null) return next(args)
  const service = String(context.clientName ?? 'AWS').replace(/Client$/, '')
  const operation = String(context.commandName ?? 'call').replace(/Command$/, '')
  const span = tracing.start(
    `${service}.${operation}`,
    { 'rpc.system': 'aws-api', 'rpc.service': service, 'rpc.method': operation },
    headers,
  )
  if (span === undefined) return next(args)
  try {
    const result = await next(args)
    span.end({ statusCode: statusOf(result.response) })
    return result
  } catch (error) {
    span.end({ statusCode: statusOf(error), error })
    throw error
  }
}

/**
 * Adds a span per operation to an AWS SDK v3 client made by a `clients()` factory, once, when the
 * OpenTelemetry mode is on. Through the client's own middleware stack (the SDK's public way to add
 * a step), ahead of the SDK's trace-header step, which then keeps the headers written here.
 */
export function traceSdkClient(client: unknown): void {
  if (!isSdkClient(client) || traced.has(client) || outgoingTracing() === undefined) return
  traced.add(client)
  client.middlewareStack.add(sdkTracing, { step: 'build', priority: 'high', name: 'laminaOutgoingSpans' })
}

export interface TracedFetchOptions {
  /** The fetch to call. Default: the global `fetch`. */
  fetch?: typeof fetch
  /** An undici dispatcher for every call (`keepAliveAgents().dispatcher`), unless the call names one. */
  dispatcher?: unknown
}

/**
 * A `fetch` that, when the OpenTelemetry mode is on, makes a client span per request (`GET`, with
 * the URL and status) and sends the trace headers (`traceparent`, `X-Amzn-Trace-Id`) so the
 * service called continues the trace. With the mode off it only calls `fetch`.
 */
export function tracedFetch(options: TracedFetchOptions = {}): typeof fetch {
  const call = options.fetch ?? globalThis.fetch
  const dispatcher = options.dispatcher
  return async (input, init) => {
    const withDispatcher = (dispatcher === undefined ? init : { dispatcher, ...init }) as RequestInit | undefined
    const tracing = outgoingTracing()
    if (tracing === undefined) return call(input, withDispatcher)
    const request = input instanceof Request ? input : undefined
    const url = new URL(request?.url ?? String(input))
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase()
    const carrier: Record<string, string> = {}
    const span = tracing.start(
      method,
      {
        'http.request.method': method,
        'url.full': `${url.origin}${url.pathname}`,
        'server.address': url.hostname,
        ...(url.port !== '' && { 'server.port': Number(url.port) }),
      },
      carrier,
    )
    if (span === undefined) return call(input, withDispatcher)
    const headers = new Headers(init?.headers ?? request?.headers)
    for (const [name, value] of Object.entries(carrier)) headers.set(name, value)
    try {
      const response = await call(input, { ...withDispatcher, headers })
      span.end({ statusCode: response.status })
      return response
    } catch (error) {
      span.end({ error })
      throw error
    }
  }
}
