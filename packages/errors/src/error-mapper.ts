import { eventSource, isHttpEventSource, type Middleware, orderKey, orderRank, type Request } from '@lamina/core'
import { describeError, type ErrorView } from './describe-error.js'
import { statusText } from './http-error.js'
import { shapeResponse } from './http-response.js'

export interface ErrorMapperOptions {
  /**
   * `json` (default): `{ message, requestId, issues? }` as `application/json`.
   * `problem`: RFC 9457 `application/problem+json` with `type`, `title`, `status`, `detail`.
   */
  format?: 'json' | 'problem'
  /** Headers for every error response (CORS, say); the error's own headers win. */
  headers?: Record<string, string>
}

// The event as Lambda delivered it, kept by `before`: a later middleware may replace
// `request.event` with a view that no longer shows which source sent it. Kept on the request
// itself under a symbol: per invocation, invisible to other middlewares, and cheaper than
// making `request.internal` (which core creates on first use) on every successful call.
const rawEventKey = Symbol('lamina.errors.rawEvent')
type Keeping = { [rawEventKey]?: unknown }

// The mapper writes the body, so it owns its content type.
const withoutContentType = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'content-type'))

function requestIdOf(request: Request): string | undefined {
  const id = (request.context as { awsRequestId?: unknown } | undefined)?.awsRequestId
  return typeof id === 'string' ? id : undefined
}

function jsonBody(view: ErrorView, requestId: string | undefined): string {
  return JSON.stringify({ message: view.message, requestId, issues: view.issues })
}

function problemBody(view: ErrorView, requestId: string | undefined): string {
  return JSON.stringify({
    type: 'about:blank',
    title: statusText(view.status),
    status: view.status,
    detail: view.exposed ? view.message : undefined,
    requestId,
    issues: view.issues,
  })
}

/**
 * Turns an error into the response its HTTP source expects; rethrows for every other source.
 * Whatever was thrown, its `onError` never throws: a value it cannot read becomes a generic 500.
 *
 * Put it right after `timeoutGuard()` and before everything else: `onError` hooks run in
 * reverse, so the mapper runs after logging, tracing and metrics have seen the original error.
 * It sets `request.response` without returning it, so the `onError` chain is never cut short.
 */
export function errorMapper(options: ErrorMapperOptions = {}): Middleware {
  const problem = options.format === 'problem'
  if (options.format !== undefined && options.format !== 'json' && !problem) {
    throw new TypeError(`errorMapper format must be 'json' or 'problem', got ${JSON.stringify(options.format)}.`)
  }
  const contentType = problem ? 'application/problem+json' : 'application/json'
  const baseHeaders = withoutContentType(options.headers ?? {})
  return {
    name: 'error-mapper',
    // Right after the timeout guard: its onError runs after every observer has seen the error.
    [orderKey]: orderRank.errorMapper,
    before(request) {
      ;(request as Keeping)[rawEventKey] = request.event
    },
    onError(request) {
      // An inner onError already answered: leave its response alone.
      if (request.response !== undefined) return
      const raw = (request as Keeping)[rawEventKey] ?? request.event
      const source = eventSource(raw)
      // SQS, S3, streams, EventBridge, direct invokes: let the engine rethrow so Lambda's
      // retries, DLQs and partial-batch handling see the failure.
      if (!isHttpEventSource(source)) return
      const view = describeError(request.error)
      const requestId = requestIdOf(request)
      const body = problem ? problemBody(view, requestId) : jsonBody(view, requestId)
      const headers = { ...baseHeaders, ...view.headers, 'content-type': contentType }
      request.response = shapeResponse(source, raw, view.status, headers, body)
    },
  }
}
