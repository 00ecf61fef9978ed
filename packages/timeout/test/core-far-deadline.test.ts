import { armTimeout, wrap } from '@lamina/core'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { after, track } from './track.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

// A bug in @lamina/core (not fixed here: core is not this package's to edit). InvocationRequest
// hands `remaining − margin` straight to setTimeout; past 2^31 − 1 ms Node (and the fake clock,
// which copies it) fires after 1 ms instead, so request.signal aborts, and an armed deadline
// times the invocation out, at once. Some local tools report a huge remaining time to mean
// "no deadline". timeoutGuard() works around it; armTimeout() and request.signal alone do not.
//
// Marked `test.fails` so the suite stays green while the bug is there: once core skips (or
// clamps) such a timer, these start passing, vitest reports them as failing, and the marker goes.
describe('core: a deadline beyond setTimeout’s range', () => {
  const farAway = { getRemainingTimeInMillis: () => 2 ** 31 + 10_000 }

  test.fails('armTimeout() does not time the invocation out after 1 ms', async () => {
    const handler = wrap(() => after(10, 'ok')).use({ before: (request) => void armTimeout(request, 500) })

    const outcome = track(handler({}, farAway as never))
    await vi.advanceTimersByTimeAsync(10)
    await outcome.done

    expect(outcome.error).toBeUndefined()
    expect(outcome.value).toBe('ok')
  })

  test.fails('request.signal does not abort after 1 ms', async () => {
    let signal: AbortSignal | undefined
    const handler = wrap((_event: unknown, _context: unknown, options: { signal: AbortSignal }) => {
      signal = options.signal
      return after(10, 'ok')
    })

    const outcome = track(handler({}, farAway as never))
    await vi.advanceTimersByTimeAsync(10)
    await outcome.done

    expect(signal?.aborted).toBe(false)
  })
})
