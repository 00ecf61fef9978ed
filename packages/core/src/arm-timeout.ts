import { maxTimerDelayMs } from './deadline.js'
import { GuardedDeadline } from './guarded-deadline.js'
import type { InvocationRequest } from './request.js'
import type { Request } from './types.js'

type Engine = Partial<Pick<InvocationRequest, 'useDeadline'>> | null | undefined

/**
 * For timeout guards. Moves `request.signal`'s deadline to `deadline − marginMs`, starts it
 * now, and makes the engine stop waiting for the pipeline when it passes: the pending hook or
 * handler loses a race against a `TimeoutError`, which then goes through `onError` and
 * `cleanup` like any other error. Returns false, arming nothing, when the context has no
 * deadline a timer can reach (no `getRemainingTimeInMillis`, not a number, or more than
 * 2^31 − 1 ms away: a local tool's "no deadline"). Call it from the first middleware's `before`.
 */
export function armTimeout(request: Request, marginMs: number): boolean {
  // What the request can do, not which class made it: a bundle may hold two copies of core (ESM
  // and CommonJS, or two versions), and a guard from one must arm a request from the other.
  if (typeof (request as unknown as Engine)?.useDeadline !== 'function') {
    throw new TypeError(
      'armTimeout() needs a request from @lamina/core wrap(); under @middy/core use its own timeoutEarlyInMillis.',
    )
  }
  const remaining = (
    request.context as { getRemainingTimeInMillis?: () => unknown } | null
  )?.getRemainingTimeInMillis?.()
  if (typeof remaining !== 'number' || !(remaining - marginMs <= maxTimerDelayMs)) return false
  if (!(request as unknown as InvocationRequest).useDeadline(new GuardedDeadline(), marginMs)) {
    throw new Error(
      'armTimeout must run before anything reads request.signal; put the timeout guard first in the chain.',
    )
  }
  return true
}
