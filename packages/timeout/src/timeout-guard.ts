import {
  armTimeout,
  isTimeoutError,
  type Middleware,
  orderKey,
  orderRank,
  type Request,
  TimeoutError,
} from '@lamina/core'
import { readOptions, type TimeoutGuardOptions } from './options.js'

const noDeadlineMessage =
  '[lamina/timeout] The Lambda context has no usable getRemainingTimeInMillis(), so timeoutGuard() does nothing ' +
  'for this invocation (this note is logged once per guard). Under the Lambda runtime every context has one; ' +
  'in tests, pass a context from @lamina/testing createContext(). A deadline more than 24.8 days away counts as none.'

/**
 * Ends the invocation at `deadline − marginMs`, before Lambda kills the process: `request.signal`
 * aborts, the pending `before`, handler or `after` is no longer waited for, and a `TimeoutError`
 * goes through every `onError` and then every `cleanup`, so logs and metrics are flushed while
 * the process is still alive. Put it first in the chain so it covers every other middleware.
 */
export function timeoutGuard<TResponse = unknown>(options?: TimeoutGuardOptions<TResponse>): Middleware {
  const { marginMs, response } = readOptions(options)
  // Per guard, not per invocation: it only keeps the no-deadline note from repeating.
  let saidNoDeadline = false

  return {
    name: 'timeout-guard',
    // First of Lamina's middlewares: it covers everything after it.
    [orderKey]: orderRank.timeoutGuard,
    before(request) {
      // No deadline, or one too far for a timer (core decides): say so rather than look armed.
      if (!armTimeout(request, marginMs)) {
        if (!saidNoDeadline) console.debug(noDeadlineMessage)
        saidNoDeadline = true
        return
      }
      const remaining = remainingTime(request)
      // No time left: core has already expired the deadline, but a chain with nothing left to await
      // would never meet it, so fail here. Decided from `remaining`, not by reading request.signal,
      // which would create the AbortSignal (the costliest part of arming) on every invocation.
      if (remaining - marginMs <= 0) {
        throw new TimeoutError(
          `The invocation started with ${Math.max(0, Math.round(remaining))} ms left, not more than the timeout guard's ` +
            `margin of ${marginMs} ms, so it timed out at once; raise the function timeout or lower marginMs.`,
        )
      }
    },
    onError(request) {
      if (response === undefined || !isTimeoutError(request.error)) return
      // Returned, not only set: it replaces a response an error mapper set for the same timeout.
      return typeof response === 'function' ? (response as (request: Request) => unknown)(request) : response
    },
  }
}

// Only called once armTimeout has found a deadline, so the context has one.
function remainingTime(request: Request): number {
  return (request.context as { getRemainingTimeInMillis: () => number }).getRemainingTimeInMillis()
}
