import type { Request } from '@lamina/core'

/** What the guard answers with when the invocation times out: a value, or a function of the request. */
export type TimeoutResponse<TResponse> = TResponse | ((request: Request) => TResponse | PromiseLike<TResponse>)

export interface TimeoutGuardOptions<TResponse = unknown> {
  /**
   * How long before Lambda's deadline the guard gives up on the pipeline, in milliseconds.
   * That time is left for `onError` and `cleanup` (logs, metrics, traces) to finish. Default 500.
   */
  marginMs?: number
  /**
   * The response to answer a timeout with. A function is called with the request (its `error` is
   * the `TimeoutError`). Unset: the `TimeoutError` goes on to the caller (or to an error mapper).
   */
  response?: TimeoutResponse<TResponse>
}

export const defaultMarginMs = 500

const knownOptions = new Set(['marginMs', 'response'])

/** Reads and checks the options once, at setup, so a mistake fails at init and not on the first event. */
export function readOptions<TResponse>(options: TimeoutGuardOptions<TResponse> | undefined): {
  marginMs: number
  response: TimeoutResponse<TResponse> | undefined
} {
  if (options === undefined) return { marginMs: defaultMarginMs, response: undefined }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`timeoutGuard() takes an options object like { marginMs: 500 }; got ${describeValue(options)}.`)
  }
  for (const key of Object.keys(options)) {
    if (!knownOptions.has(key)) {
      throw new TypeError(`timeoutGuard() has no option "${key}"; the options are marginMs and response.`)
    }
  }
  return { marginMs: readMargin(options.marginMs), response: options.response }
}

function readMargin(marginMs: unknown): number {
  if (marginMs === undefined) return defaultMarginMs
  if (typeof marginMs !== 'number') {
    throw new TypeError(
      `timeoutGuard(): marginMs must be a number of milliseconds, like 500; got ${describeValue(marginMs)}.`,
    )
  }
  if (!Number.isFinite(marginMs) || marginMs < 0) {
    throw new RangeError(
      `timeoutGuard(): marginMs must be a finite number of milliseconds, 0 or more (default 500); got ${marginMs}.`,
    )
  }
  return marginMs
}

function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`
  return typeof value
}
