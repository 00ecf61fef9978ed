import { type Middleware, TimeoutError, wrap } from '@lamina/core'
import { createContext, recorder } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { after, failAfter, never, track } from './track.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

/** A recorder that also writes the error's name at onError and cleanup (`ok` when there is none). */
const outcomeRecorder = (name: string, log: string[]) => recorder(name, log, {}, { outcome: true })

describe('timeoutGuard: when it fires', () => {
  test('aborts request.signal and ends the invocation with a TimeoutError at deadline − margin, not before', async () => {
    // Prepare
    let signal: AbortSignal | undefined
    const handler = wrap((_event: unknown, _context: unknown, options: { signal: AbortSignal }) => {
      signal = options.signal
      return never()
    }).use(timeoutGuard({ marginMs: 500 }))

    // Act
    const outcome = track(handler({}, createContext({ timeoutMs: 3000 })))
    await vi.advanceTimersByTimeAsync(2499)
    const beforeMargin = { settled: outcome.settled, aborted: signal?.aborted }
    await vi.advanceTimersByTimeAsync(1)
    await outcome.done

    // Assess
    expect(beforeMargin).toEqual({ settled: false, aborted: false })
    expect(signal?.aborted).toBe(true)
    expect(signal?.reason).toBeInstanceOf(TimeoutError)
    expect(outcome.error).toBeInstanceOf(TimeoutError)
    expect((outcome.error as TimeoutError).statusCode).toBe(504)
  })

  test('uses a 500 ms margin by default', async () => {
    const handler = wrap(() => never()).use(timeoutGuard())

    const outcome = track(handler({}, createContext({ timeoutMs: 1000 })))
    await vi.advanceTimersByTimeAsync(499)
    const settledEarly = outcome.settled
    await vi.advanceTimersByTimeAsync(1)
    await outcome.done

    expect(settledEarly).toBe(false)
    expect(outcome.error).toBeInstanceOf(TimeoutError)
  })

  test('a margin of 0 fires at the deadline itself', async () => {
    const handler = wrap(() => never()).use(timeoutGuard({ marginMs: 0 }))

    const outcome = track(handler({}, createContext({ timeoutMs: 1000 })))
    await vi.advanceTimersByTimeAsync(999)
    const settledEarly = outcome.settled
    await vi.advanceTimersByTimeAsync(1)
    await outcome.done

    expect(settledEarly).toBe(false)
    expect(outcome.error).toBeInstanceOf(TimeoutError)
  })

  test('work that finishes in time is untouched: the result comes back and the signal never aborts', async () => {
    let signal: AbortSignal | undefined
    const handler = wrap((_event: unknown, _context: unknown, options: { signal: AbortSignal }) => {
      signal = options.signal
      return after(2000, 'done')
    }).use(timeoutGuard({ marginMs: 500 }))

    const outcome = track(handler({}, createContext({ timeoutMs: 3000 })))
    await vi.advanceTimersByTimeAsync(2000)
    await outcome.done
    await vi.advanceTimersByTimeAsync(5000)

    expect(outcome.value).toBe('done')
    expect(signal?.aborted).toBe(false)
  })
})

describe('timeoutGuard: it covers the whole pipeline', () => {
  test.each([
    ['a slow before', { before: () => never() }],
    ['a slow after', { after: () => never() }],
  ])('%s times out like a slow handler', async (_label, slow: Middleware) => {
    const log: string[] = []
    const handler = wrap(async () => 'result')
      .use(timeoutGuard({ marginMs: 100 }))
      .use(outcomeRecorder('outer', log))
      .use({ name: 'slow', ...slow })
      .use(outcomeRecorder('inner', log))

    const outcome = track(handler({}, createContext({ timeoutMs: 1000 })))
    await vi.advanceTimersByTimeAsync(900)
    await outcome.done

    expect(outcome.error).toBeInstanceOf(TimeoutError)
    expect(log.filter((entry) => entry.includes('onError'))).toEqual([
      'inner.onError:TimeoutError',
      'outer.onError:TimeoutError',
    ])
  })

  test('a slow before: the handler and later befores never run, even when the slow work finishes later', async () => {
    // onError runs for every middleware (Middy's rule); cleanup only for those the before phase reached.
    const log: string[] = []
    const handlerCalls = vi.fn(() => 'result')
    const handler = wrap(handlerCalls)
      .use(timeoutGuard({ marginMs: 100 }))
      .use(outcomeRecorder('outer', log))
      .use({ name: 'slow', before: () => after(5000, undefined) })
      .use(outcomeRecorder('inner', log))

    const outcome = track(handler({}, createContext({ timeoutMs: 1000 })))
    await vi.advanceTimersByTimeAsync(10_000)
    await outcome.done

    expect(outcome.error).toBeInstanceOf(TimeoutError)
    expect(handlerCalls).not.toHaveBeenCalled()
    expect(log).toEqual([
      'outer.before',
      'inner.onError:TimeoutError',
      'outer.onError:TimeoutError',
      'outer.cleanup:TimeoutError',
    ])
  })

  test('a slow handler: onError then cleanup of every other middleware run, in reverse, before the invocation ends', async () => {
    const log: string[] = []
    const handler = wrap(() => never())
      .use(timeoutGuard({ marginMs: 100 }))
      .use(outcomeRecorder('a', log))
      .use(outcomeRecorder('b', log))

    const outcome = track(handler({}, createContext({ timeoutMs: 1000 })))
    await vi.advanceTimersByTimeAsync(900)
    await outcome.done

    expect(outcome.error).toBeInstanceOf(TimeoutError)
    expect(log).toEqual([
      'a.before',
      'b.before',
      'b.onError:TimeoutError',
      'a.onError:TimeoutError',
      'b.cleanup:TimeoutError',
      'a.cleanup:TimeoutError',
    ])
  })

  test('a late handler result is dropped: no after hook runs and the TimeoutError stands', async () => {
    const log: string[] = []
    const handler = wrap(() => after(2000, 'late result'))
      .use(timeoutGuard({ marginMs: 100 }))
      .use(outcomeRecorder('a', log))

    const outcome = track(handler({}, createContext({ timeoutMs: 1000 })))
    await vi.advanceTimersByTimeAsync(900)
    await outcome.done
    await vi.advanceTimersByTimeAsync(2000)

    expect(outcome.error).toBeInstanceOf(TimeoutError)
    expect(log).not.toContain('a.after')
  })

  test('a synchronous handler that overran is caught at the next await', async () => {
    // The guard cannot interrupt synchronous code; it takes over as soon as the pipeline waits again.
    const afterCalls = vi.fn(() => after(1, undefined))
    const handler = wrap(() => {
      vi.advanceTimersByTime(950) // stands for 950 ms of blocking work
      return 'result'
    })
      .use(timeoutGuard({ marginMs: 100 }))
      .use({ name: 'async-after', after: afterCalls })

    const outcome = track(handler({}, createContext({ timeoutMs: 1000 })))
    await vi.advanceTimersByTimeAsync(10)
    await outcome.done

    expect(afterCalls).toHaveBeenCalledOnce()
    expect(outcome.error).toBeInstanceOf(TimeoutError)
  })
})

describe('timeoutGuard: work still running after it fired', () => {
  test('a late rejection is not reported as an unhandled rejection', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      const handler = wrap(() => failAfter(2000, new Error('late failure'))).use(timeoutGuard({ marginMs: 100 }))

      const outcome = track(handler({}, createContext({ timeoutMs: 1000 })))
      await vi.advanceTimersByTimeAsync(900)
      await outcome.done
      await vi.advanceTimersByTimeAsync(2000)
      // Node reports unhandled rejections after the microtask queue drains: give it real turns.
      vi.useRealTimers()
      await new Promise((resolve) => setImmediate(resolve))
      await new Promise((resolve) => setImmediate(resolve))

      expect(outcome.error).toBeInstanceOf(TimeoutError)
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  test('what late work writes to its request is never seen by the next invocation', async () => {
    const seenByNext: unknown[] = []
    const handler = wrap((event: { call: number }, _context: unknown, options: { signal: AbortSignal }) => {
      if (event.call === 2) return 'second'
      const request = options as unknown as { internal: Record<string, unknown>; response: unknown }
      return after(2000, undefined).then(() => {
        request.internal.leaked = 'from the first call'
        request.response = 'late response'
      })
    })
      .use(timeoutGuard({ marginMs: 100 }))
      .use({ before: (request) => void seenByNext.push(request.internal.leaked, request.response) })

    const first = track(handler({ call: 1 }, createContext({ timeoutMs: 1000 })))
    await vi.advanceTimersByTimeAsync(900)
    await first.done
    await vi.advanceTimersByTimeAsync(2000)
    const second = await handler({ call: 2 }, createContext({ timeoutMs: 1000 }))

    expect(first.error).toBeInstanceOf(TimeoutError)
    expect(second).toBe('second')
    expect(seenByNext).toEqual([undefined, undefined, undefined, undefined])
  })
})

describe('timeoutGuard: timers', () => {
  const paths: [string, () => unknown, (outcome: { value: unknown; error: unknown }) => void][] = [
    ['success', () => after(10, 'ok'), ({ value }) => expect(value).toBe('ok')],
    ['a sync success', () => 'ok', ({ value }) => expect(value).toBe('ok')],
    ['an error', () => failAfter(10, new Error('boom')), ({ error }) => expect((error as Error).message).toBe('boom')],
    ['a timeout', () => never(), ({ error }) => expect(error).toBeInstanceOf(TimeoutError)],
  ]

  test.each(paths)('one timer while running, none left after %s', async (_label, body, check) => {
    let timersWhileRunning = -1
    const handler = wrap(() => {
      timersWhileRunning = vi.getTimerCount()
      return body()
    }).use(timeoutGuard({ marginMs: 100 }))

    const outcome = track(handler({}, createContext({ timeoutMs: 1000 })))
    await vi.advanceTimersByTimeAsync(900)
    await outcome.done

    check(outcome)
    expect(timersWhileRunning).toBe(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  test('without the guard an invocation starts no timer at all', async () => {
    let timersWhileRunning = -1
    const handler = wrap(() => {
      timersWhileRunning = vi.getTimerCount()
      return 'ok'
    }).use({ name: 'plain', before: () => undefined, cleanup: () => undefined })

    expect(await handler({}, createContext({ timeoutMs: 1000 }))).toBe('ok')
    expect(timersWhileRunning).toBe(0)
  })

  test('arming creates no AbortSignal: an invocation that never reads request.signal does not pay for one', async () => {
    const signalGetter = vi.spyOn(AbortController.prototype, 'signal', 'get')
    const handler = wrap(() => after(10, 'ok')).use(timeoutGuard({ marginMs: 100 }))

    const outcome = track(handler({}, createContext({ timeoutMs: 1000 })))
    await vi.advanceTimersByTimeAsync(10)
    await outcome.done

    expect(outcome.value).toBe('ok')
    expect(signalGetter).not.toHaveBeenCalled()
  })

  test('none left after an early return from a later before', async () => {
    const handlerCalls = vi.fn()
    const handler = wrap(handlerCalls)
      .use(timeoutGuard({ marginMs: 100 }))
      .use({ before: () => ({ statusCode: 204 }) })

    const response = await handler({}, createContext({ timeoutMs: 1000 }))

    expect(response).toEqual({ statusCode: 204 })
    expect(handlerCalls).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })
})
