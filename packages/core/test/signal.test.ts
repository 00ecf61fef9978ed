import { armTimeout, TimeoutError, wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('request.signal', () => {
  test('is created lazily: an invocation that never reads it starts no timer', async () => {
    let timersDuringInvocation = -1
    const handler = wrap(() => {
      timersDuringInvocation = vi.getTimerCount()
      return 'ok'
    }).use({ before: () => undefined })
    await handler({}, createContext({ timeoutMs: 10_000 }))
    expect(timersDuringInvocation).toBe(0)
  })

  test('aborts at the deadline with a TimeoutError reason, and its timer is cleared when the invocation ends', async () => {
    let signal: AbortSignal | undefined
    let release: () => void = () => undefined
    const handler = wrap(() => new Promise<string>((resolve) => (release = () => resolve('late')))).use({
      before: (request) => {
        signal = request.signal
      },
    })
    const outcome = handler({}, createContext({ timeoutMs: 1000 }))
    await vi.advanceTimersByTimeAsync(999)
    expect(signal?.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(signal?.aborted).toBe(true)
    expect(signal?.reason).toBeInstanceOf(TimeoutError)
    release()
    // Without a guard the engine keeps waiting: the signal only informs.
    expect(await outcome).toBe('late')
    expect(vi.getTimerCount()).toBe(0)
  })

  test('an invocation that ends in the turn it read the signal never starts the deadline timer', async () => {
    // Prepare: a stack that reads the signal and answers without waiting on anything
    const setTimer = vi.spyOn(globalThis, 'setTimeout')
    const handler = wrap(async () => 'ok').use({ before: (request) => void request.signal })
    // Act
    const answer = await handler({}, createContext({ timeoutMs: 10_000 }))
    // Assess: no setTimeout was paid for, and nothing is left pending
    expect(answer).toBe('ok')
    expect(setTimer).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })

  test('one that outlives its turn arms the timer for the deadline read afresh, so it aborts on time', async () => {
    // Prepare: time passes between the read and the end of the turn (the second reading is lower)
    const readings = [1000, 400]
    const context = { getRemainingTimeInMillis: () => readings.shift() ?? 0 } as never
    let signal: AbortSignal | undefined
    let release: () => void = () => undefined
    const handler = wrap(() => new Promise<string>((resolve) => (release = () => resolve('done')))).use({
      before: (request) => {
        signal = request.signal
      },
    })
    // Act
    const outcome = handler({}, context)
    await vi.advanceTimersByTimeAsync(399)
    const early = signal?.aborted
    await vi.advanceTimersByTimeAsync(1)
    // Assess: the deadline came from the second reading, not the first
    expect(early).toBe(false)
    expect(signal?.aborted).toBe(true)
    expect(signal?.reason).toBeInstanceOf(TimeoutError)
    release()
    expect(await outcome).toBe('done')
  })

  test('a deadline that passes before the turn ends aborts when the turn ends', async () => {
    const readings = [1000, 0]
    const context = { getRemainingTimeInMillis: () => readings.shift() ?? 0 } as never
    let signal: AbortSignal | undefined
    let release: () => void = () => undefined
    const handler = wrap(() => new Promise<string>((resolve) => (release = () => resolve('done')))).use({
      before: (request) => {
        signal = request.signal
      },
    })
    const outcome = handler({}, context)
    const duringTurn = signal?.aborted
    await vi.advanceTimersByTimeAsync(0)
    expect(duringTurn).toBe(false)
    expect(signal?.aborted).toBe(true)
    release()
    expect(await outcome).toBe('done')
  })

  test('a deadline that goes away before the turn ends never aborts', async () => {
    const readings: unknown[] = [1000, undefined]
    const context = { getRemainingTimeInMillis: () => readings.shift() } as never
    let signal: AbortSignal | undefined
    let release: () => void = () => undefined
    const handler = wrap(() => new Promise<string>((resolve) => (release = () => resolve('done')))).use({
      before: (request) => {
        signal = request.signal
      },
    })
    const outcome = handler({}, context)
    await vi.advanceTimersByTimeAsync(5000)
    expect(signal?.aborted).toBe(false)
    expect(vi.getTimerCount()).toBe(0)
    release()
    expect(await outcome).toBe('done')
  })

  test('the handler’s { signal } is the same lazy signal', async () => {
    let fromHook: AbortSignal | undefined
    let fromHandler: AbortSignal | undefined
    const handler = wrap((_event: unknown, _context: unknown, options: { signal: AbortSignal }) => {
      fromHandler = options.signal
    }).use({
      before: (request) => {
        fromHook = request.signal
      },
    })
    await handler({}, createContext())
    expect(fromHandler).toBe(fromHook)
  })

  test('reading it twice gives the same signal; a success clears the timer', async () => {
    const handler = wrap((_e: unknown, _c: unknown, options: { signal: AbortSignal }) => {
      const first = options.signal
      return first === options.signal
    })
    expect(await handler({}, createContext())).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  test('without getRemainingTimeInMillis it never aborts and starts no timer', async () => {
    let signal: AbortSignal | undefined
    const handler = wrap((_e: unknown, _c: unknown, options: { signal: AbortSignal }) => {
      signal = options.signal
      return vi.getTimerCount()
    })
    expect(await handler({}, createContext({ deadline: false }))).toBe(0)
    expect(signal?.aborted).toBe(false)
    expect(
      await wrap((_e: unknown, _c: unknown, o: { signal: AbortSignal }) => o.signal.aborted)({}, undefined as never),
    ).toBe(false)
  })

  test('a deadline already past aborts at once', async () => {
    const handler = wrap((_e: unknown, _c: unknown, options: { signal: AbortSignal }) => options.signal.aborted)
    expect(await handler({}, createContext({ timeoutMs: 0 }))).toBe(true)
  })
})

describe('armTimeout (the mechanism behind timeout guards)', () => {
  const guard = (marginMs: number) => ({
    name: 'guard',
    before: (request: Parameters<typeof armTimeout>[0]) => void armTimeout(request, marginMs),
  })

  test('stops waiting for a slow handler at deadline − margin and sends a TimeoutError through onError and cleanup', async () => {
    const log: string[] = []
    const handler = wrap(() => new Promise(() => undefined))
      .use(guard(200))
      .use({
        onError: (request) => void log.push(`onError:${(request.error as Error).name}`),
        cleanup: () => void log.push('cleanup'),
      })
    const outcome = handler({}, createContext({ timeoutMs: 1000 })).catch((error: unknown) => error)
    await vi.advanceTimersByTimeAsync(800)
    const error = await outcome
    expect(error).toBeInstanceOf(TimeoutError)
    expect(log).toEqual(['onError:TimeoutError', 'cleanup'])
    expect(vi.getTimerCount()).toBe(0)
  })

  test('covers slow before and after hooks too, and onError may answer the timeout', async () => {
    for (const slow of ['before', 'after'] as const) {
      const handler = wrap(() => 'ok')
        .use(guard(100))
        .use({ onError: (request) => (request.error instanceof TimeoutError ? 'timed out' : undefined) })
        .use({ [slow]: () => new Promise(() => undefined) })
      const outcome = handler({}, createContext({ timeoutMs: 500 }))
      await vi.advanceTimersByTimeAsync(400)
      expect(await outcome, slow).toBe('timed out')
    }
  })

  test('a late rejection after the timeout is not reported as unhandled', async () => {
    const unhandled: unknown[] = []
    const listener = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', listener)
    let fail: (error: Error) => void = () => undefined
    const handler = wrap(() => new Promise((_, reject) => (fail = reject)))
      .use(guard(100))
      .use({ onError: () => 'answered' })
    const outcome = handler({}, createContext({ timeoutMs: 300 }))
    await vi.advanceTimersByTimeAsync(200)
    expect(await outcome).toBe('answered')
    fail(new Error('late'))
    await vi.advanceTimersByTimeAsync(10)
    process.off('unhandledRejection', listener)
    expect(unhandled).toEqual([])
  })

  test('async onError hooks after a timeout are not raced again', async () => {
    const handler = wrap(() => new Promise(() => undefined))
      .use(guard(100))
      .use({
        onError: () => new Promise((resolve) => setTimeout(() => resolve('slow answer'), 50)),
      })
    const outcome = handler({}, createContext({ timeoutMs: 300 }))
    await vi.advanceTimersByTimeAsync(250)
    expect(await outcome).toBe('slow answer')
  })

  test('returns false and changes nothing without a deadline; refuses requests that are not Lamina’s', async () => {
    let armed: boolean | undefined
    const handler = wrap(() => 'ok').use({
      before: (request) => {
        armed = armTimeout(request, 100)
      },
    })
    expect(await handler({}, createContext({ deadline: false }))).toBe('ok')
    expect(armed).toBe(false)
    expect(() => armTimeout({ event: {}, context: {} } as never, 100)).toThrow(/needs a request from @lamina\/core/)
  })

  test('must run before anything reads the signal', async () => {
    const handler = wrap(() => 'ok')
      .use({ before: (request) => void request.signal })
      .use(guard(100))
    await expect(handler({}, createContext())).rejects.toThrow(
      /armTimeout must run before anything reads request.signal/,
    )
  })
})
