import { TimeoutError } from './timeout-error.js'

/** setTimeout's limit: a longer delay fires after 1 ms instead. */
export const maxTimerDelayMs = 2 ** 31 - 1

/**
 * The per-invocation deadline behind `request.signal`: one controller and at most one timer.
 * Only made when something reads the signal or a guard arms one, so plain invocations skip it.
 */
export class Deadline {
  readonly controller = new AbortController()
  #timer: ReturnType<typeof setTimeout> | undefined

  /** Starts the timer for `remaining − marginMs`, if the context has a deadline. */
  start(context: unknown, marginMs: number): this {
    const remaining = (
      context as { getRemainingTimeInMillis?: () => unknown } | undefined
    )?.getRemainingTimeInMillis?.()
    // Number.isFinite does not coerce: a string or null is no deadline either.
    if (!Number.isFinite(remaining)) return this
    const delay = (remaining as number) - marginMs
    // Past setTimeout's range Node would fire after 1 ms; Lambda allows 15 minutes, so a
    // larger figure (some local tools report one) means "no deadline".
    if (delay > maxTimerDelayMs) return this
    if (delay <= 0) this.expire(new TimeoutError())
    // Not unref'd: dispose() clears it on every path, and while a guarded invocation waits on
    // something that holds no handle, this timer is what keeps the process alive until it fires.
    else this.#timer = setTimeout(() => this.expire(new TimeoutError()), delay)
    return this
  }

  protected expire(error: TimeoutError): void {
    this.#timer = undefined
    this.controller.abort(error)
  }

  /** The invocation ended: free the timer. */
  dispose(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
