import { GuardedDeadline } from './guarded-deadline.js'
import { InvocationRequest } from './request.js'
import type { Request } from './types.js'

/**
 * For timeout guards. Moves `request.signal`'s deadline to `deadline − marginMs`, starts it
 * now, and makes the engine stop waiting for the pipeline when it passes: the pending hook or
 * handler loses a race against a `TimeoutError`, which then goes through `onError` and
 * `cleanup` like any other error. Returns false when the context has no deadline (nothing to
 * guard). Call it from the first middleware's `before`.
 */
export function armTimeout(request: Request, marginMs: number): boolean {
  if (!(request instanceof InvocationRequest)) {
    throw new TypeError(
      'armTimeout() needs a request from @lamina/core wrap(); under @middy/core use its own timeoutEarlyInMillis.',
    )
  }
  if (typeof request.context?.getRemainingTimeInMillis !== 'function') return false
  if (!request.useDeadline(new GuardedDeadline(), marginMs)) {
    throw new Error(
      'armTimeout must run before anything reads request.signal; put the timeout guard first in the chain.',
    )
  }
  return true
}
