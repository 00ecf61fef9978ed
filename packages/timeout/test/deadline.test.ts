import { TimeoutError, wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import middy, { type MiddlewareObj } from '@middy/core'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { after, never, track } from './track.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('timeoutGuard without a deadline', () => {
  test('passes through, starts no timer, and says so once per guard in a debug message', async () => {
    // Prepare
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined)
    const timersAtHandlerStart: number[] = []
    const handler = wrap(() => {
      timersAtHandlerStart.push(vi.getTimerCount())
      return after(60_000, 'slow but unguarded')
    }).use(timeoutGuard({ marginMs: 100 }))

    // Act
    const first = track(handler({}, createContext({ deadline: false })))
    const second = track(handler({}, undefined as never))
    await vi.advanceTimersByTimeAsync(60_000)
    await Promise.all([first.done, second.done])

    // Assess
    expect(first.value).toBe('slow but unguarded')
    expect(second.value).toBe('slow but unguarded')
    // The second sees only the first handler's own timer: the guard started none.
    expect(timersAtHandlerStart).toEqual([0, 1])
    expect(debug).toHaveBeenCalledOnce()
    expect(debug.mock.calls[0]?.[0]).toMatch(/no usable getRemainingTimeInMillis\(\), so timeoutGuard\(\) does nothing/)
  })

  test('each guard says it once for itself', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined)
    const first = wrap(() => 'a').use(timeoutGuard())
    const second = wrap(() => 'b').use(timeoutGuard())

    await first({}, {} as never)
    await first({}, {} as never)
    await second({}, {} as never)

    expect(debug).toHaveBeenCalledTimes(2)
  })

  test('a getRemainingTimeInMillis that does not return a finite number counts as no deadline', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined)
    const handler = wrap(() => after(10_000, 'ok')).use(timeoutGuard())

    const outcome = track(handler({}, { getRemainingTimeInMillis: () => Number.NaN } as never))
    await vi.advanceTimersByTimeAsync(10_000)
    await outcome.done

    expect(outcome.value).toBe('ok')
    expect(debug).toHaveBeenCalledOnce()
  })

  test('a deadline beyond what setTimeout can hold (some local tools use one) counts as no deadline, not as 1 ms', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => undefined)
    const handler = wrap(() => after(10_000, 'ok')).use(timeoutGuard({ marginMs: 500 }))
    const farAway = { getRemainingTimeInMillis: () => 2 ** 31 + 10_000 }

    const outcome = track(handler({}, farAway as never))
    await vi.advanceTimersByTimeAsync(10_000)
    await outcome.done

    expect(outcome.value).toBe('ok')
    expect(debug).toHaveBeenCalledOnce()
  })

  test('the longest deadline setTimeout can hold is still guarded', async () => {
    const handler = wrap(() => never()).use(timeoutGuard({ marginMs: 500 }))
    const longest = Date.now() + 2 ** 31 - 1 + 500
    const context = { getRemainingTimeInMillis: () => longest - Date.now() }

    const outcome = track(handler({}, context as never))
    await vi.advanceTimersByTimeAsync(10_000)
    const settledEarly = outcome.settled
    await vi.advanceTimersByTimeAsync(2 ** 31)
    await outcome.done

    expect(settledEarly).toBe(false)
    expect(outcome.error).toBeInstanceOf(TimeoutError)
  })
})

describe('timeoutGuard with no time left at the start', () => {
  test.each([
    ['already past', 0, 100],
    ['inside the margin', 400, 500],
    ['exactly the margin', 500, 500],
  ])('a deadline %s times out at once, before any other hook or the handler', async (_label, timeoutMs, marginMs) => {
    const handlerCalls = vi.fn(() => 'never returned')
    const laterBefore = vi.fn()
    const cleanup = vi.fn()
    const handler = wrap(handlerCalls).use(timeoutGuard({ marginMs })).use({ before: laterBefore, cleanup })

    const outcome = track(handler({}, createContext({ timeoutMs })))
    await outcome.done

    expect(outcome.error).toBeInstanceOf(TimeoutError)
    expect((outcome.error as Error).message).toMatch(
      new RegExp(`started with \\d+ ms left, not more than the timeout guard's margin of ${marginMs} ms`),
    )
    expect(laterBefore).not.toHaveBeenCalled()
    expect(handlerCalls).not.toHaveBeenCalled()
    expect(cleanup).not.toHaveBeenCalled() // its before was never reached
    expect(vi.getTimerCount()).toBe(0)
  })

  test('the configured response answers an immediate timeout too', async () => {
    const handler = wrap(() => never()).use(timeoutGuard({ marginMs: 500, response: { statusCode: 504 } }))

    expect(await handler({}, createContext({ timeoutMs: 100 }))).toEqual({ statusCode: 504 })
  })
})

describe('timeoutGuard placement', () => {
  test('after a middleware that already read request.signal, it fails with a message saying to put it first', async () => {
    const handler = wrap(() => 'ok')
      .use({ name: 'reads-signal', before: (request) => void request.signal })
      .use(timeoutGuard())

    await expect(handler({}, createContext())).rejects.toThrow(/put the timeout guard first in the chain/)
  })

  test('under @middy/core it fails with a message pointing to Middy’s own timeoutEarlyInMillis', async () => {
    const handler = middy(() => 'ok').use(timeoutGuard() as unknown as MiddlewareObj)

    await expect(handler({}, createContext() as never)).rejects.toThrow(/timeoutEarlyInMillis/)
  })
})
