/** One problem found by a schema: where (keys from the root of the part) and what. */
export interface ValidationIssue {
  path: (string | number)[]
  message: string
}

/** Which part of the invocation failed: the parts of an HTTP request, the whole event, or the response. */
export type ValidationPart = 'event' | 'body' | 'query' | 'path' | 'headers' | 'response'

export interface ValidationErrorOptions {
  /** HTTP status for `@lamina/errors`: 400 by default; 413, 415, 422 or 500 where those apply. */
  statusCode?: number
  issues?: ValidationIssue[]
  /** The parts that failed, in the order they were checked. */
  parts?: ValidationPart[]
  /** Whether the client may read the message and issues; defaults to `statusCode < 500`. */
  expose?: boolean
  cause?: unknown
}

/**
 * Raised for input (or a response) that does not pass. It carries everything `@lamina/errors`
 * needs to answer: `statusCode`, `expose`, and `issues` as `{ path, message }`. The message is
 * safe to show to a client: it never quotes the input.
 */
export class ValidationError extends Error {
  override name = 'ValidationError'
  readonly statusCode: number
  readonly status: number
  readonly expose: boolean
  readonly issues: ValidationIssue[]
  readonly parts: ValidationPart[]

  constructor(message: string, options: ValidationErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.statusCode = options.statusCode ?? 400
    this.status = this.statusCode
    this.expose = options.expose ?? this.statusCode < 500
    this.issues = options.issues ?? []
    this.parts = options.parts ?? []
  }
}

/**
 * A ValidationError for bad input, made without capturing a stack trace: the fault is in the
 * request, not in code a stack would point to, and the capture is most of the cost of turning a
 * bad request away (about 2.5 µs of 3 here). Safe with concurrent invocations: the limit is
 * restored before anything else can run.
 */
export function inputError(message: string, options: ValidationErrorOptions = {}): ValidationError {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new ValidationError(message, options)
  } finally {
    Error.stackTraceLimit = limit
  }
}
