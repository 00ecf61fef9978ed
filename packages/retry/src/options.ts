export interface AttemptInfo {
  /** 1 for the first call, 2 for the first retry, … */
  attempt: number
  /** Aborts when the caller's signal does, or when this attempt passes `attemptTimeoutMs`: pass it on (`{ abortSignal }`). */
  signal: AbortSignal
}

export interface RetryOptions {
  /** How many calls at most, the first included. Default 3. */
  attempts?: number | undefined
  /** The first wait's cap, in ms; each later cap doubles. Default 100. */
  baseMs?: number | undefined
  /** No wait is longer than this, in ms. Default 2000. */
  maxMs?: number | undefined
  /** Usually `request.signal`: an abort ends a wait or an attempt at once. */
  signal?: AbortSignal | undefined
  /** The Lambda context: no wait is started that would end past its deadline. */
  context?: { getRemainingTimeInMillis(): number } | undefined
  /** Each attempt's own time limit, in ms: its signal aborts and the next attempt starts. Default none. */
  attemptTimeoutMs?: number | undefined
  /** Which failures are worth another attempt. Default `isTransientError`. */
  isRetryable?: ((error: unknown, attempt: number) => boolean) | undefined
}

export interface Settings {
  attempts: number
  baseMs: number
  maxMs: number
  signal: AbortSignal | undefined
  context: { getRemainingTimeInMillis(): number } | undefined
  attemptTimeoutMs: number | undefined
  isRetryable: ((error: unknown, attempt: number) => boolean) | undefined
}

const known = new Set(['attempts', 'baseMs', 'maxMs', 'signal', 'context', 'attemptTimeoutMs', 'isRetryable'])

const fail = (message: string): never => {
  throw new TypeError(`retry(): ${message}`)
}

const shown = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value))

function milliseconds(name: string, value: unknown, fallback: number | undefined, minimum = 0): number | undefined {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum) {
    fail(`${name} must be a number of milliseconds, ${minimum} or more; got ${shown(value)}.`)
  }
  return value as number
}

export function readOptions(options: RetryOptions | undefined): Settings {
  if (options === undefined) return readOptions({})
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail(`takes an options object like { attempts: 3, signal }; got ${shown(options)}.`)
  }
  for (const key of Object.keys(options)) {
    if (!known.has(key)) fail(`there is no option "${key}"; the options are ${[...known].join(', ')}.`)
  }
  const attempts = options.attempts ?? 3
  if (!Number.isInteger(attempts) || attempts < 1)
    fail(`attempts must be a whole number, 1 or more; got ${shown(attempts)}.`)
  const baseMs = milliseconds('baseMs', options.baseMs, 100) as number
  const maxMs = milliseconds('maxMs', options.maxMs, Math.max(2000, baseMs)) as number
  if (maxMs < baseMs) fail(`maxMs (${maxMs}) must not be less than baseMs (${baseMs}).`)
  const signal = options.signal
  if (
    signal !== undefined &&
    (typeof signal !== 'object' || signal === null || typeof signal.addEventListener !== 'function')
  ) {
    fail("signal must be an AbortSignal (request.signal, or the handler's { signal }).")
  }
  const context = options.context
  if (context !== undefined && typeof context?.getRemainingTimeInMillis !== 'function') {
    fail('context must be the Lambda context (it has getRemainingTimeInMillis()).')
  }
  if (options.isRetryable !== undefined && typeof options.isRetryable !== 'function') {
    fail('isRetryable must be a function (error, attempt) => boolean.')
  }
  return {
    attempts,
    baseMs,
    maxMs,
    signal,
    context,
    attemptTimeoutMs: milliseconds('attemptTimeoutMs', options.attemptTimeoutMs, undefined, 1),
    isRetryable: options.isRetryable,
  }
}
