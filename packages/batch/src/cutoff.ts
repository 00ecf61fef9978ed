import { setMaxListeners } from 'node:events'

/** setTimeout's limit: past it there is no deadline a timer can reach. */
const maxTimerDelayMs = 2 ** 31 - 1

export interface Cutoff {
  /** Aborts when records must stop: `marginMs` before the deadline, or when the invocation's signal aborts. */
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
 * which a timeout guard moves earlier) ends it at once too. Neither is known to the other: a
 * guard's margin is not visible on its signal, hence a margin of our own.
 */
export function startCutoff(context: unknown, options: unknown, marginMs: number): Cutoff {
  const controller = new AbortController()
  // Every running record listens (and the SDK calls it makes with meta.signal): no warning past 10.
  setMaxListeners(0, controller.signal)
  const outer = (options as { signal?: unknown } | undefined)?.signal
  const stop = () => controller.abort(new Error('The batch reached its deadline.'))
  let timer: ReturnType<typeof setTimeout> | undefined
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
    signal: controller.signal,
    dispose() {
      clearTimeout(timer)
      if (isAbortSignal(outer)) outer.removeEventListener('abort', stop)
    },
  }
}

export interface Limiter {
  /** Resolves with a release function once a slot is free; rejects if `signal` aborts first. */
  acquire(): Promise<() => void>
}

/** At most `limit` records at once; waiters are let in first come, first served. */
export function createLimiter(limit: number, signal: AbortSignal): Limiter {
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
  signal.addEventListener(
    'abort',
    () => {
      for (const waiter of waiting.splice(0)) waiter.reject(signal.reason)
    },
    { once: true },
  )
  return {
    acquire() {
      if (signal.aborted) return Promise.reject(signal.reason)
      if (running < limit) {
        running++
        return Promise.resolve(once())
      }
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }))
    },
  }
}
