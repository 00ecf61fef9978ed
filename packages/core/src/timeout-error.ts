/** Raised when an invocation reaches its deadline (minus the guard's margin) before it settled. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError'
  /** HTTP mappers answer a timeout with 504 Gateway Timeout. */
  readonly statusCode = 504

  constructor(message = 'Timed out: raise the function timeout or make the work faster.', options?: ErrorOptions) {
    super(message, options)
  }
}

/**
 * True for a `TimeoutError` from any copy of core in the process. `instanceof` only knows its own
 * copy's class, and a bundle can hold two (ESM and CommonJS, or two versions): check the shape.
 */
export function isTimeoutError(value: unknown): value is TimeoutError {
  try {
    return value instanceof Error && value.name === 'TimeoutError' && (value as TimeoutError).statusCode === 504
  } catch {
    // A Proxy that throws on every read is no TimeoutError.
    return false
  }
}
