import { Deadline } from './deadline.js'
import type { TimeoutError } from './timeout-error.js'

const noop = () => {}

/**
 * A deadline a timeout guard armed: besides aborting the signal, it makes every awaited hook
 * and handler lose a race against a `TimeoutError`. Kept apart from `Deadline` so code that
 * never imports `armTimeout` never bundles it.
 */
export class GuardedDeadline extends Deadline {
  readonly #timeout: Promise<never>
  #rejectTimeout: (error: TimeoutError) => void = noop

  constructor() {
    super()
    this.#timeout = new Promise<never>((_, reject) => {
      this.#rejectTimeout = reject
    })
    // The race is the only consumer; without a listener a timeout that fires between awaits
    // would be reported as an unhandled rejection.
    this.#timeout.catch(noop)
  }

  protected override expire(error: TimeoutError): void {
    this.#rejectTimeout(error)
    super.expire(error)
  }

  /**
   * Not called by this version (the error path never races), kept for a request made by an older
   * copy of core in the same bundle, which calls it on a deadline this copy's guard installed
   * (only a guard installs a deadline in another copy's request).
   */
  disarm(): void {}

  settle<T>(value: PromiseLike<T>): PromiseLike<T> {
    return Promise.race([value, this.#timeout])
  }
}
