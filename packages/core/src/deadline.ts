import { TimeoutError } from './timeout-error.js'

const noop = () => {}
const maxTimerDelayMs = 2 ** 31 - 1

/**
 * The per-invocation deadline behind `request.signal`: one controller and at most one timer.
 * Only made when something reads the signal or a guard arms it, so plain invocations skip it.
 */
export class Deadline {
  readonly controller = new AbortController()
  #timer: ReturnType<typeof setTimeout> | undefined
  // Set while a timeout guard is armed: every awaited hook result races it.
  #timeout: Promise<never> | undefined
  #rejectTimeout: ((error: TimeoutError) => void) | undefined

  constructor(context: unknown, marginMs: number, guarded: boolean) {
    if (guarded) {
      this.#timeout = new Promise<never>((_, reject) => {
        this.#rejectTimeout = reject
      })
      // The race is the only consumer; without a listener a timeout that fires between awaits
      // would be reported as an unhandled rejection.
      this.#timeout.catch(noop)
    }
    const remaining = (
      context as { getRemainingTimeInMillis?: () => unknown } | undefined
    )?.getRemainingTimeInMillis?.()
    if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return
    const delay = remaining - marginMs
    // Past setTimeout's range Node would fire after 1 ms; Lambda allows 15 minutes, so a
    // larger figure (some local tools report one) means "no deadline".
    if (delay > maxTimerDelayMs) return
    if (delay <= 0) this.#expire()
    // Not unref'd: dispose() clears it on every path, and while a guarded invocation waits on
    // something that holds no handle, this timer is what keeps the process alive until it fires.
    else this.#timer = setTimeout(() => this.#expire(), delay)
  }

  #expire(): void {
    this.#timer = undefined
    const error = new TimeoutError()
    this.#rejectTimeout?.(error)
    this.controller.abort(error)
  }

  /** Waits for `value`, unless an armed deadline passes first. */
  settle<T>(value: PromiseLike<T>): PromiseLike<T> {
    return this.#timeout === undefined ? value : Promise.race([value, this.#timeout])
  }

  /** The pipeline is on its error path: stop racing. */
  disarm(): void {
    this.#timeout = undefined
  }

  /** The invocation ended: free the timer. */
  dispose(): void {
    this.#timeout = undefined
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
