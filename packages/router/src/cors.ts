import {
  eventSource,
  type HttpEventSource,
  isHttpEventSource,
  type Middleware,
  orderKey,
  orderRank,
  type Request,
} from '@lamina/core'
import { answer, type HttpResponse, structured, withHeaders } from './http-answer.js'
import { headerOf, methodOf, usesMultiValueHeaders } from './http-event.js'

export interface CorsOptions {
  /**
   * Who may read the answers: `'*'` (default, any site, never with credentials), one origin, a
   * list of origins (`'https://app.example'`: scheme, host and port, no path), or a function
   * `(origin) => boolean`.
   */
  origins?: '*' | string | readonly string[] | ((origin: string) => boolean)
  /** Methods a preflight allows. Default GET, HEAD, PUT, PATCH, POST, DELETE. */
  methods?: readonly string[]
  /** Request headers a preflight allows. Default: those the preflight asks for. */
  headers?: readonly string[]
  /** Response headers the page may read beyond the safelisted ones. */
  exposeHeaders?: readonly string[]
  /** Whether the page may send cookies and read the answers to them. Default false. */
  credentials?: boolean
  /** Seconds a browser may keep a preflight's answer. */
  maxAge?: number
}

interface CorsState {
  source: HttpEventSource
  multiValue: boolean
  headers: Record<string, string>
  vary: string | undefined
}

const defaultMethods = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE']
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const tokenList = /^[!#$%&'*+\-.^_`|~0-9A-Za-z, \t]*$/

function checkTokens(option: string, values: unknown): readonly string[] | undefined {
  if (values === undefined) return undefined
  if (!Array.isArray(values) || !values.every((value) => typeof value === 'string' && token.test(value))) {
    throw new TypeError(`cors(): ${option} must be a list of header or method names, like ['content-type'].`)
  }
  return values
}

function isOrigin(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    return new URL(value).origin === value
  } catch {
    return false
  }
}

type OriginRule = (origin: string | undefined) => string | undefined

function originRule(origins: CorsOptions['origins'], credentials: boolean): OriginRule {
  if (origins === undefined || origins === '*') {
    if (credentials) {
      throw new TypeError(
        "cors(): credentials: true with origins '*' would let any site read your users' answers; list the origins that may.",
      )
    }
    return () => '*'
  }
  if (typeof origins === 'function')
    return (origin) => (origin !== undefined && origins(origin) === true ? origin : undefined)
  const list = typeof origins === 'string' ? [origins] : origins
  const wrongAt = Array.isArray(list) ? list.findIndex((origin) => !isOrigin(origin)) : -1
  const wrong: unknown = Array.isArray(list) ? list[wrongAt] : origins
  if (!Array.isArray(list) || wrongAt !== -1) {
    throw new TypeError(
      `cors(): ${JSON.stringify(wrong) ?? String(wrong)} is not an origin; write scheme, host and port only, like 'https://app.example' (no path, no trailing slash), or pass origins: '*' or a function.`,
    )
  }
  const allowed = new Set<string>(list)
  return (origin) => (origin !== undefined && allowed.has(origin) ? origin : undefined)
}

function checkOptions(options: CorsOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError("cors() takes an options object such as { origins: ['https://app.example'] }.")
  }
  if (options.credentials !== undefined && typeof options.credentials !== 'boolean') {
    throw new TypeError('cors(): credentials must be true or false.')
  }
  const maxAge = options.maxAge
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || maxAge < 0)) {
    throw new RangeError(`cors(): maxAge is a whole number of seconds, got ${String(maxAge)}.`)
  }
}

// Kept on the request under a symbol: per invocation, read once in `before` from the event as
// Lambda delivered it (a later middleware may replace the event's headers).
const stateKey = Symbol('lamina.router.cors')
type Keeping = Request & { [stateKey]?: CorsState }

/**
 * CORS for an HTTP API: answers preflight requests (`OPTIONS` with `Access-Control-Request-Method`)
 * with 204 before anything else runs, and adds the CORS headers to every other answer, errors
 * included. Register it right after `timeoutGuard()` and before `errorMapper()`: its `onError`
 * then runs after the mapper's and finds the error's answer there.
 */
export function cors(options: CorsOptions = {}): Middleware {
  checkOptions(options)
  const credentials = options.credentials ?? false
  const allowOrigin = originRule(options.origins, credentials)
  const methods = (checkTokens('methods', options.methods) ?? defaultMethods).join(',')
  const allowHeaders = checkTokens('headers', options.headers)?.join(',')
  const exposeHeaders = checkTokens('exposeHeaders', options.exposeHeaders)?.join(',')
  const anyOrigin = options.origins === undefined || options.origins === '*'

  function answerHeaders(origin: string | undefined): Record<string, string> {
    if (origin === undefined) return {}
    const headers: Record<string, string> = { 'access-control-allow-origin': origin }
    if (credentials) headers['access-control-allow-credentials'] = 'true'
    return headers
  }

  function preflight(request: Keeping, state: CorsState, origin: string | undefined) {
    const headers = answerHeaders(origin)
    let vary = anyOrigin ? undefined : 'Origin'
    if (origin !== undefined) {
      headers['access-control-allow-methods'] = methods
      const asked = headerOf(request.event, 'access-control-request-headers')
      // Without a configured list, the headers the browser asks for are allowed (if well formed).
      const allowed = allowHeaders ?? (asked !== undefined && tokenList.test(asked) ? asked : undefined)
      if (allowed !== undefined && allowed !== '') headers['access-control-allow-headers'] = allowed
      if (allowHeaders === undefined)
        vary = vary === undefined ? 'Access-Control-Request-Headers' : `${vary}, Access-Control-Request-Headers`
      if (options.maxAge !== undefined) headers['access-control-max-age'] = String(options.maxAge)
    }
    const response = answer(state.source, request.event, 204, {}) as HttpResponse
    return withHeaders(response, headers, vary, state.multiValue)
  }

  const decorate = (request: Keeping) => {
    const state = request[stateKey]
    if (state === undefined) return
    const response = structured(request.response, state.source)
    if (response !== undefined) request.response = withHeaders(response, state.headers, state.vary, state.multiValue)
  }

  return {
    name: 'cors',
    // After the timeout guard, before the error mapper: see the function's comment.
    [orderKey]: orderRank.cors,
    before(request: Keeping) {
      const event: unknown = request.event
      const source = eventSource(event)
      // Not an HTTP request (a warm-up ping, a queue): nothing to allow.
      if (!isHttpEventSource(source)) return undefined
      const http = event as object
      const origin = allowOrigin(headerOf(http, 'origin'))
      const headers = answerHeaders(origin)
      if (origin !== undefined && exposeHeaders !== undefined) headers['access-control-expose-headers'] = exposeHeaders
      const state: CorsState = {
        source,
        multiValue: usesMultiValueHeaders(http),
        headers,
        vary: anyOrigin ? undefined : 'Origin',
      }
      request[stateKey] = state
      const isPreflight =
        methodOf(http, source) === 'OPTIONS' &&
        headerOf(http, 'origin') !== undefined &&
        headerOf(http, 'access-control-request-method') !== undefined
      return isPreflight ? preflight(request, state, origin) : undefined
    },
    after: decorate,
    onError: decorate,
  }
}
