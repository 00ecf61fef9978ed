import { setMaxListeners } from 'node:events'

/** setTimeout's limit: past it there is no deadline a timer can reach. */
const maxTimerDelayMs = 2 ** 31 - 1

export interface Cutoff {
  /** True once records must stop: `marginMs` before the deadline, or the invocation's signal aborted. */
  readonly stopped: boolean
  /** Calls `callback` when the cutoff comes (never, if it has come already: check `stopped`). */
  onStop(callback: () => void): void
  /** Aborts at the cutoff, for the records to pass on. Made on first read. */
  readonly signal: AbortSignal
  /** The invocation is over: free the timer and the listener. */
  dispose(): void
}

const isAbortSignal = (value: unknown): value is AbortSignal =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as AbortSignal).aborted === 'boolean' &&
  typeof (value as AbortSignal).addEventListener === 'function'

/**
 * One invocation's cutoff. The timer reads the context's remaining time, so the partial response
 * is built `marginMs` before Lambda's deadline; the invocation's signal (core's `request.signal`,
 * which a timeout guard moves earlier) ends it at once too. A guard's margin is not visible on its
 * signal, hence a margin of our own. Plain callbacks, not AbortSignal listeners, tell the records:
 * a listener costs tens of microseconds to add in Node, a record must not pay that.
 */
export function startCutoff(context: unknown, options: unknown, marginMs: number): Cutoff {
  let stopped = false
  let controller: AbortController | undefined
  let callbacks: (() => void)[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  const outer = (options as { signal?: unknown } | undefined)?.signal
  const stop = () => {
    if (stopped) return
    stopped = true
    // Records are failed first, then told: one that ends because its signal aborted still counts as cut off.
    for (const callback of callbacks) callback()
    callbacks = []
    controller?.abort(new Error('The batch reached its deadline.'))
  }
  if (isAbortSignal(outer)) {
    if (outer.aborted) stop()
    else outer.addEventListener('abort', stop, { once: true })
  }
  const remaining = (context as { getRemainingTimeInMillis?: () => unknown } | undefined)?.getRemainingTimeInMillis?.()
  if (typeof remaining === 'number' && Number.isFinite(remaining)) {
    const delay = remaining - marginMs
    if (delay <= 0) stop()
    else if (delay <= maxTimerDelayMs) timer = setTimeout(stop, delay)
  }
  return {
    get stopped() {
      return stopped
    },
    onStop(callback) {
      if (!stopped) callbacks.push(callback)
    },
    get signal() {
      if (controller === undefined) {
        controller = new AbortController()
        // Every record may pass it to an SDK call: no "possible leak" warning past 10 listeners.
        setMaxListeners(0, controller.signal)
        if (stopped) controller.abort(new Error('The batch reached its deadline.'))
      }
      return controller.signal
    },
    dispose() {
      clearTimeout(timer)
      if (isAbortSignal(outer)) outer.removeEventListener('abort', stop)
    },
  }
}

export interface Limiter {
  /** A release function if a slot is free now (no one can be waiting then), else `undefined`. */
  tryAcquire(): (() => void) | undefined
  /** After `tryAcquire()` found none: resolves with a release function once a slot is freed, rejects if the cutoff comes first. */
  wait(): Promise<() => void>
}

/** At most `limit` records at once; waiters are let in first come, first served. */
export function createLimiter(limit: number, cutoff: Cutoff): Limiter {
  let running = 0
  const waiting: Array<{ resolve: (release: () => void) => void; reject: (error: unknown) => void }> = []
  const release = () => {
    const next = waiting.shift()
    if (next) next.resolve(once())
    else running--
  }
  // Each slot is released once, even if a caller calls release twice.
  const once = () => {
    let done = false
    return () => {
      if (done) return
      done = true
      release()
    }
  }
  cutoff.onStop(() => {
    for (const waiter of waiting.splice(0)) waiter.reject(new Error('The batch reached its deadline.'))
  })
  // A slot is only free while no one waits: a released slot goes straight to the next waiter.
  const tryAcquire = () => {
    if (running >= limit) return undefined
    running++
    return once()
  }
  return {
    tryAcquire,
    wait() {
      // Stopped already: no onStop callback is left to reject a new waiter.
      if (cutoff.stopped) return Promise.reject(new Error('The batch reached its deadline.'))
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }))
    },
  }
}
