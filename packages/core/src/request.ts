import type { Context } from './context.js'
import { Deadline } from './deadline.js'

/**
 * The object every hook receives. Field names are Middy's on purpose, so Middy and Powertools
 * middlewares read and write it unchanged. One is created per invocation: nothing in it is
 * shared with an invocation running at the same time.
 */
export class InvocationRequest<TEvent = unknown, TContext = Context, TResponse = unknown> {
  response: TResponse | undefined
  error: unknown
  #internal: Record<string, unknown> | undefined
  // A guard's deadline (GuardedDeadline, maybe from another copy of core) races what is awaited.
  #deadline: (Deadline & { settle?<T>(value: PromiseLike<T>): PromiseLike<T> }) | undefined

  constructor(
    public event: TEvent,
    public context: TContext,
  ) {}

  /** Middy's prototype-less bag, made on first use; middlewares may replace it (Powertools does). */
  get internal(): Record<string, unknown> {
    if (this.#internal === undefined) this.#internal = Object.create(null) as Record<string, unknown>
    return this.#internal
  }

  set internal(value: Record<string, unknown>) {
    this.#internal = value
  }

  /**
   * Aborts at the invocation's deadline minus the guard's margin. Created on first read:
   * an invocation that never reads it makes no controller and no timer.
   */
  get signal(): AbortSignal {
    if (this.#deadline === undefined) this.#deadline = new Deadline().start(this.context, 0)
    return this.#deadline.controller.signal
  }

  /** For `armTimeout`: installs a guard's deadline; false when one exists (the signal was read). */
  useDeadline(deadline: Deadline, marginMs: number): boolean {
    if (this.#deadline !== undefined) return false
    this.#deadline = deadline.start(this.context, marginMs)
    return true
  }

  /** Waits for `value`, unless an armed deadline passes first. */
  settle<T>(value: PromiseLike<T>): PromiseLike<T> {
    return this.#deadline?.settle?.(value) ?? value
  }

  /** The invocation ended: free the deadline timer. */
  dispose(): void {
    this.#deadline?.dispose()
  }
}
