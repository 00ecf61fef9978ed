import { TimeoutError } from '@lamina/core'
import { HttpError, statusText } from './http-error.js'

/** One problem with the input, as the client sees it. */
export interface ClientIssue {
  path: (string | number)[]
  message: string
}

/** What the client may learn about an error. */
export interface ErrorView {
  status: number
  /** The error's own message when it may be shown, else the status's reason phrase. */
  message: string
  exposed: boolean
  headers: Record<string, string> | undefined
  issues: ClientIssue[] | undefined
}

type ErrorLike = {
  statusCode?: unknown
  expose?: unknown
  message?: unknown
  headers?: unknown
  issues?: unknown
}

const isClientOrServerStatus = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599

// Duck-typed errors (Middy's createError, http-errors, our ValidationError) carry `statusCode`.
// A bare `status` is ignored on purpose: HTTP clients put the *downstream* status there, and a
// failed call to another service is our fault (500), not the caller's 404.
function statusOf(error: unknown): number {
  if (error instanceof HttpError || error instanceof TimeoutError) return error.statusCode
  const statusCode = (error as ErrorLike | null)?.statusCode
  return isClientOrServerStatus(statusCode) ? statusCode : 500
}

function exposesMessage(error: ErrorLike, status: number): boolean {
  // Server faults never reach the client, whatever the error claims.
  if (status >= 500) return false
  if (error instanceof HttpError) return error.expose
  return error.expose === true && typeof error.message === 'string'
}

const headerValue = (value: unknown): value is string | number =>
  (typeof value === 'string' && !/[\r\n]/.test(value)) || typeof value === 'number'

function headersOf(error: ErrorLike): Record<string, string> | undefined {
  const given = error.headers
  if (typeof given !== 'object' || given === null) return undefined
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(given)) {
    // The mapper writes the body, so it owns its content type.
    if (headerValue(value) && name.toLowerCase() !== 'content-type') headers[name] = String(value)
  }
  return headers
}

function pathOf(path: unknown): (string | number)[] {
  if (!Array.isArray(path)) return []
  return path.map((segment) => {
    const key = typeof segment === 'object' && segment !== null && 'key' in segment ? segment.key : segment
    return typeof key === 'number' ? key : String(key)
  })
}

function issuesOf(error: ErrorLike): ClientIssue[] | undefined {
  if (!Array.isArray(error.issues)) return undefined
  // Only path and message: whatever else a schema library attaches (input values) stays here.
  return error.issues.map((issue: { path?: unknown; message?: unknown } | null) => ({
    path: pathOf(issue?.path),
    message: String(issue?.message ?? 'Invalid value'),
  }))
}

/** Reduces any thrown value to what may be shown to the client. */
export function describeError(error: unknown): ErrorView {
  const status = statusOf(error)
  const like = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike
  const exposed = exposesMessage(like, status)
  return {
    status,
    message: exposed ? (like.message as string) : statusText(status),
    exposed,
    headers: headersOf(like),
    issues: exposed ? issuesOf(like) : undefined,
  }
}
