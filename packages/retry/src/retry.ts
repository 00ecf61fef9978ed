import { setMaxListeners } from 'node:events'
import { backoffDelay } from './backoff.js'
import { type AttemptInfo, type RetryOptions, readOptions, type Settings } from './options.js'
import { AttemptTimeoutError, RetryError } from './retry-error.js'
import { isTransientError } from './transient.js'

/** One attempt's signal: the caller's, plus the attempt's own time limit. */
function attemptSignal(settings: Settings): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const controller = new AbortController()
  setMaxListeners(0, controller.signal)
  const outer = settings.signal
  const follow = () => controller.abort(outer?.reason)
  outer?.addEventListener('abort', follow, { once: true })
  let expired = false
  const timer =
    settings.attemptTimeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          expired = true
          controller.abort(new AttemptTimeoutError(settings.attemptTimeoutMs as number))
        }, settings.attemptTimeoutMs)
  return {
    signal: controller.signal,
    timedOut: () => expired,
    dispose() {
      clearTimeout(timer)
      outer?.removeEventListener('abort', follow)
    },
  }
}

/** Settles with the attempt, or rejects as soon as its signal aborts (its own later outcome is handled). */
function raceAttempt<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason)
    signal.addEventListener('abort', stop, { once: true })
    work.then(
      (value) => {
        signal.removeEventListener('abort', stop)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', stop)
        reject(error)
      },
    )
  })
}

/** Waits `ms`, or rejects at once when `signal` aborts. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop)
      resolve()
    }, ms)
    signal?.addEventListener('abort', stop, { once: true })
  })
}

/**
 * Calls `fn` until it succeeds, retrying only transient failures, with exponential backoff and
 * full jitter, and never past the invocation's deadline. A failure that is not transient is
 * rethrown as it is; giving up on transient ones throws a `RetryError` naming the attempts.
 */
export async function retry<T>(fn: (info: AttemptInfo) => T | PromiseLike<T>, options?: RetryOptions): Promise<T> {
  const settings = readOptions(options)
  const { signal } = settings
  if (signal?.aborted) throw new RetryError(0, 'aborted', signal.reason, 'before the first attempt')
  for (let attempt = 1; ; attempt++) {
    const current = attemptSignal(settings)
    let failure: unknown
    try {
      return await raceAttempt(
        Promise.resolve().then(() => fn({ attempt, signal: current.signal })),
        current.signal,
      )
    } catch (error) {
      failure =
        current.timedOut() && !signal?.aborted ? new AttemptTimeoutError(settings.attemptTimeoutMs as number) : error
    } finally {
      current.dispose()
    }
    if (signal?.aborted)
      throw new RetryError(attempt, 'aborted', failure, `(the signal aborted during attempt ${attempt})`)
    const retryable = settings.isRetryable ? settings.isRetryable(failure, attempt) : isTransientError(failure)
    if (!retryable) throw failure
    if (attempt >= settings.attempts) throw new RetryError(attempt, 'exhausted', failure, '(no attempts left)')
    const delay = backoffDelay(attempt, settings.baseMs, settings.maxMs)
    const remaining = settings.context?.getRemainingTimeInMillis()
    if (remaining !== undefined && delay >= remaining) {
      throw new RetryError(
        attempt,
        'deadline',
        failure,
        `(waiting ${Math.round(delay)} ms for attempt ${attempt + 1} would pass the deadline, ${Math.round(remaining)} ms away)`,
      )
    }
    try {
      await wait(delay, signal)
    } catch {
      throw new RetryError(attempt, 'aborted', failure, `(the signal aborted while waiting for attempt ${attempt + 1})`)
    }
  }
}
