import type { Context } from './context.js'
import { TimeoutError } from './timeout-error.js'

const noop = () => {}

/**
 * The object every hook receives. Field names are Middy's on purpose, so Middy and Powertools
 * middlewares read and write it unchanged. One is created per invocation: nothing in it is
 * shared with an invocation running at the same time.
 */
export class InvocationRequest<TEvent = unknown, TContext = Context, TResponse = unknown> {
  response: TResponse | undefined = undefined
  error: unknown = undefined
  // Middy's shape: a prototype-less bag; middlewares may replace it, so the engine re-reads it.
  internal: Record<string, unknown> = Object.create(null)
  #controller: AbortController | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #marginMs = 0
  // Set while a timeout guard is armed: every awaited hook result races it.
  #timeout: Promise<never> | undefined
  #rejectTimeout: ((error: TimeoutError) => void) | undefined

  constructor(
    public event: TEvent,
    public context: TContext,
  ) {}

  /**
   * Aborts at the invocation's deadline minus the guard's margin. Created on first read:
   * an invocation that never reads it makes no controller and no timer.
   */
  get signal(): AbortSignal {
    if (this.#controller === undefined) this.#controller = this.#startDeadlineTimer()
    return this.#controller.signal
  }

  #startDeadlineTimer(): AbortController {
    const controller = new AbortController()
    const remaining = (this.context as Partial<Context> | undefined)?.getRemainingTimeInMillis?.()
    if (typeof remaining === 'number' && Number.isFinite(remaining)) {
      const delay = remaining - this.#marginMs
      if (delay <= 0) this.#expire(controller)
      else {
        this.#timer = setTimeout(() => this.#expire(controller), delay)
        // Never let the deadline timer alone keep the process alive.
        this.#timer.unref?.()
      }
    }
    return controller
  }

  #expire(controller: AbortController): void {
    this.#timer = undefined
    const error = new TimeoutError()
    this.#rejectTimeout?.(error)
    controller.abort(error)
  }

  /** Used by timeout guards: see `armTimeout`. */
  armTimeout(marginMs: number): void {
    if (this.#controller !== undefined) {
      throw new Error(
        'armTimeout must run before anything reads request.signal; put the timeout guard first in the chain.',
      )
    }
    this.#marginMs = marginMs
    this.#timeout = new Promise<never>((_, reject) => {
      this.#rejectTimeout = reject
    })
    // The race is the only consumer; without a listener a timeout that fires between awaits
    // would be reported as an unhandled rejection.
    this.#timeout.catch(noop)
    void this.signal
  }

  /** Whether a guard is armed and its deadline has passed. */
  get timedOut(): boolean {
    return this.#rejectTimeout !== undefined && this.#controller?.signal.aborted === true
  }

  /** Waits for `value`, unless an armed deadline passes first. */
  settle<T>(value: PromiseLike<T>): Promise<T> | PromiseLike<T> {
    return this.#timeout === undefined ? value : Promise.race([value, this.#timeout])
  }

  /** The pipeline is on its error path: stop racing the deadline. */
  disarm(): void {
    this.#timeout = undefined
  }

  /** The invocation ended: free the deadline timer. */
  dispose(): void {
    this.#timeout = undefined
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }
}
