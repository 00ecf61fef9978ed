import { type Middleware, orderKey, orderRank } from '@lamina/core'
import { isWarmupPing } from './pings.js'

export interface WarmupOptions {
  /**
   * Tells a warm-up ping from a real event. Default: `isWarmupPing`, which knows the default
   * payloads of serverless-plugin-warmup, serverless-plugin-lambda-warmup and lambda-warmer.
   * It runs on every invocation before anything else: keep it a cheap check of the event's shape.
   */
  isWarmup?: (event: unknown, context: unknown) => boolean
}

/** What a ping is answered with: the same value `@middy/warmup` answers, so warmers see no change. */
export const warmupResponse = 'warmup'

/**
 * Answers warm-up pings before any other middleware does work: the chain stops at this `before`,
 * so no later `before`, handler, `after` or `cleanup` runs, and a ping writes no log line, no
 * metric and no trace subsegment. Use it first, before `timeoutGuard()`.
 */
export function warmup(options: WarmupOptions = {}): Middleware {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('warmup() takes an options object such as { isWarmup: (event) => event.warmer === true }.')
  }
  const isWarmup = options.isWarmup ?? isWarmupPing
  if (typeof isWarmup !== 'function') {
    throw new TypeError(
      `warmup({ isWarmup }) takes a function (event, context) => boolean that tells a ping from a real event; got ${typeof isWarmup}.`,
    )
  }
  return {
    name: 'warmup',
    // First of all: a ping must not arm a timer, start a segment, or write a line.
    [orderKey]: orderRank.warmup,
    before(request) {
      if (isWarmup(request.event, request.context)) return warmupResponse
    },
  }
}
