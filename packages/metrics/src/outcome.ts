import { isTimeoutError } from '@lamina/core'

/** How an invocation ended, as the `Errors` and `Timeouts` metrics count it. */
export interface Outcome {
  /** It ended by throwing, or with an error answered by anything but a 4xx HTTP response. */
  failed: boolean
  timedOut: boolean
}

const succeeded: Outcome = { failed: false, timedOut: false }

// Every read below is guarded: a handler may throw (or answer with) anything, including an
// object whose getters or Proxy traps throw, and counting must never fail because of it.
function read(value: unknown, key: string): unknown {
  try {
    // A primitive reads as undefined (or its wrapper's property), never throws.
    return (value as Record<string, unknown> | null | undefined)?.[key]
  } catch {
    return undefined
  }
}

// By shape, not class: the TimeoutError may come from another copy of core (ESM and CommonJS).
function isTimeout(error: unknown): boolean {
  try {
    return isTimeoutError(error)
  } catch {
    // A Proxy whose traps throw is not a TimeoutError.
    return false
  }
}

/** A caller's mistake answered as one: the error became a 4xx HTTP response (an error mapper's). */
function answeredWithClientError(response: unknown): boolean {
  const status = read(response, 'statusCode')
  return typeof status === 'number' && status >= 400 && status < 500
}

/**
 * The outcome once every `onError` has run: `errored` says the error path ran, `error` is what it
 * ended with and `response` what was answered (`undefined`: the error is thrown to Lambda). An
 * invocation that ends by throwing failed whatever its error's `statusCode` (an SQS batch with a
 * poison message is retried); only an error answered with a 4xx response is the caller's.
 */
export function outcomeOf(errored: boolean, error: unknown, response: unknown): Outcome {
  if (!errored) return succeeded
  return { failed: response === undefined || !answeredWithClientError(response), timedOut: isTimeout(error) }
}
