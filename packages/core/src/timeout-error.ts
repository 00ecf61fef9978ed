/** Raised when an invocation reaches its deadline (minus the guard's margin) before it settled. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError'
  /** HTTP mappers answer a timeout with 504 Gateway Timeout. */
  readonly statusCode = 504

  constructor(
    message = 'The invocation ran out of time; raise the function timeout or make the work faster.',
    options?: ErrorOptions,
  ) {
    super(message, options)
  }
}
