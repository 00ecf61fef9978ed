export interface HttpErrorOptions {
  /**
   * Whether the client may read `message`. Defaults to `status < 500`. A 5xx is never
   * exposed by `errorMapper`, whatever this says: server faults stay on the server.
   */
  expose?: boolean
  /** Response headers the client should get with this error (`Retry-After`, `WWW-Authenticate`, ...). */
  headers?: Record<string, string>
  /** The underlying error, for logs only: never sent to the client. */
  cause?: unknown
}

// Node's reason phrases, fetched on first use and kept: the same table for every invocation.
let statusCodes: Record<number, string | undefined> | undefined

/**
 * The reason phrase for a status code (`404` → `Not Found`); `Error` for codes Node does not name.
 * node:http is taken from the process, not imported as an ES module: on Node 24 an ESM import of
 * node:http loads its undici-backed exports (WebSocket and friends) at init, tens of ms of CPU on
 * every cold start of a function that never opens a socket. It is fetched once, on the first
 * call: `process.getBuiltinModule` costs about a microsecond per call, more than the rest of an
 * error answer's header work.
 */
export function statusText(status: number): string {
  statusCodes ??= process.getBuiltinModule('node:http').STATUS_CODES
  return statusCodes[status] ?? 'Error'
}

function checkStatus(status: number): void {
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new RangeError(
      `HttpError status must be an integer from 400 to 599, got ${String(status)}; use a 4xx for client mistakes and a 5xx for server faults.`,
    )
  }
}

/**
 * An error that knows its HTTP status. Throw it from a handler or middleware and `errorMapper`
 * answers with that status; `statusCode` mirrors `status` for Middy and http-errors users.
 */
// A brand instead of `instanceof`: an HttpError from another copy of this package (its CommonJS
// build beside the ESM one, or two versions in one bundle) is still recognised.
const httpErrorBrand = Symbol.for('lamina.HttpError')

export class HttpError extends Error {
  override name = 'HttpError'
  readonly [httpErrorBrand] = true
  readonly status: number
  readonly statusCode: number
  readonly expose: boolean
  readonly headers: Record<string, string> | undefined

  constructor(status: number, message?: string, options: HttpErrorOptions = {}) {
    checkStatus(status)
    super(message ?? statusText(status), options.cause === undefined ? undefined : { cause: options.cause })
    this.status = status
    this.statusCode = status
    this.expose = options.expose ?? status < 500
    this.headers = options.headers
  }
}

/** `new HttpError(status, message, options)` as a function, for `throw createHttpError(404)`. */
export function createHttpError(status: number, message?: string, options?: HttpErrorOptions): HttpError {
  return new HttpError(status, message, options)
}

/** True for an `HttpError` from any copy of `@lamina/errors` in the process; never throws. */
export function isHttpError(value: unknown): value is HttpError {
  try {
    return (
      typeof value === 'object' && value !== null && (value as { [httpErrorBrand]?: unknown })[httpErrorBrand] === true
    )
  } catch {
    // A hostile Proxy is not an HttpError.
    return false
  }
}
