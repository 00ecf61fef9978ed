import { statusText } from './http-error.js'

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

const isClientOrServerStatus = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599

const serverFault = (): ErrorView => ({
  status: 500,
  message: statusText(500),
  exposed: false,
  headers: undefined,
  issues: undefined,
})

// Every property is read once, into a local: a getter cannot pass a check and then return
// something else (an object of internals instead of the string that was checked).
const fieldOf = (error: unknown, key: string): unknown =>
  (typeof error === 'object' || typeof error === 'function') && error !== null
    ? (error as Record<string, unknown>)[key]
    : undefined

// Duck-typed errors (HttpError, TimeoutError, Middy's createError, http-errors, our
// ValidationError) carry `statusCode`; no `instanceof`, so a second copy of a package in a bundle
// still maps. A bare `status` is ignored on purpose: HTTP clients put the *downstream* status
// there, and a failed call to another service is our fault (500), not the caller's 404.
function statusOf(error: unknown): number {
  const statusCode = fieldOf(error, 'statusCode')
  return isClientOrServerStatus(statusCode) ? statusCode : 500
}

/** The message when the client may read it: a 4xx that says `expose: true` and has a string message. */
function exposedMessage(error: unknown, status: number): string | undefined {
  // Server faults never reach the client, whatever the error claims.
  if (status >= 500 || fieldOf(error, 'expose') !== true) return undefined
  const message = fieldOf(error, 'message')
  return typeof message === 'string' ? message : undefined
}

const headerValue = (value: unknown): value is string | number =>
  (typeof value === 'string' && !/[\r\n]/.test(value)) || typeof value === 'number'

function headersOf(error: unknown): Record<string, string> | undefined {
  const given = fieldOf(error, 'headers')
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

function issuesOf(error: unknown): ClientIssue[] | undefined {
  const issues = fieldOf(error, 'issues')
  // Only schema failures carry issues: an empty list (a 413, a 415, bad JSON) is left out.
  if (!Array.isArray(issues) || issues.length === 0) return undefined
  // Only path and message: whatever else a schema library attaches (input values) stays here.
  return issues.map((issue: unknown) => ({
    path: pathOf(fieldOf(issue, 'path')),
    message: String(fieldOf(issue, 'message') ?? 'Invalid value'),
  }))
}

function describeReadable(error: unknown): ErrorView {
  const status = statusOf(error)
  const message = exposedMessage(error, status)
  const exposed = message !== undefined
  return {
    status,
    message: message ?? statusText(status),
    exposed,
    headers: headersOf(error),
    issues: exposed ? issuesOf(error) : undefined,
  }
}

/**
 * Reduces any thrown value to what may be shown to the client. Never throws: a value that cannot
 * be read safely (a getter or Proxy trap that throws, an issue that cannot be printed) is a
 * server fault, answered with a generic 500.
 */
export function describeError(error: unknown): ErrorView {
  try {
    return describeReadable(error)
  } catch {
    return serverFault()
  }
}
