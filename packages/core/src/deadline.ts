import { TimeoutError } from './timeout-error.js'

/** setTimeout's limit: a longer delay fires after 1 ms instead. */
export const maxTimerDelayMs = 2 ** 31 - 1

/**
 * The per-invocation deadline behind `request.signal`: one controller and at most one timer.
 * Only made when something reads the signal or a guard arms one, so plain invocations skip it.
 *
 * The timer waits for the invocation to outlive the event-loop turn the deadline started in: a
 * ref'd `setTimeout` with its `clearTimeout` costs several times a `setImmediate`, and an
 * invocation that ends within its turn (a cache hit, a refused input) could never see a deadline
 * that far away fire. The immediate holds the process open as the timer does, and arms the timer
 * for the deadline read afresh, so the signal aborts at the same moment.
 */
export class Deadline {
  readonly controller = new AbortController()
  #timer: ReturnType<typeof setTimeout> | undefined
  #turn: ReturnType<typeof setImmediate> | undefined

  /** Starts the deadline at `remaining − marginMs`, if the context has one; `armed`: the turn has passed. */
  start(context: unknown, marginMs: number, armed?: boolean): this {
    const remaining = (
      context as { getRemainingTimeInMillis?: () => unknown } | undefined
    )?.getRemainingTimeInMillis?.()
    const delay = (remaining as number) - marginMs
    // Number.isFinite does not coerce: a string or null is no deadline either. Past setTimeout's
    // range Node would fire after 1 ms; Lambda allows 15 minutes, so a larger figure (some local
    // tools report one) means "no deadline".
    if (!Number.isFinite(remaining) || delay > maxTimerDelayMs) return this
    if (delay <= 0) this.expire(new TimeoutError())
    // Not unref'd: dispose() clears them on every path, and while a guarded invocation waits on
    // something that holds no handle, they are what keep the process alive until the guard answers.
    else if (armed) this.#timer = setTimeout(() => this.expire(new TimeoutError()), delay)
    else this.#turn = setImmediate(() => this.start(context, marginMs, true))
    return this
  }

  protected expire(error: TimeoutError): void {
    this.controller.abort(error)
  }

  /** The invocation ended: free the timer (clearing one that fired, or twice, does nothing). */
  dispose(): void {
    clearImmediate(this.#turn)
    clearTimeout(this.#timer)
  }
}
