import { lifecycleHooks, wrap } from '@lamina/core'
import { recorder } from '@lamina/testing'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

// A context whose deadline is one second away when the engine asks.
const oneSecondLeft = { getRemainingTimeInMillis: () => 1000 } as never
const never = () => new Promise<never>(() => undefined)

function reporting() {
  const reported: [string, string][] = []
  const hooks = lifecycleHooks({
    cleanupError: (error, name) => void reported.push([name, (error as Error).message]),
  })
  return { reported, hooks }
}

describe('onError and cleanup are bounded by the invocation’s deadline', () => {
  test('a cleanup that never settles: at the deadline the invocation settles with its result, the outer cleanups run, the hang is reported', async () => {
    // Prepare
    const { reported, hooks } = reporting()
    const log: string[] = []
    const handler = wrap(() => 'result', { hooks })
      .use(recorder('outer', log))
      .use({ name: 'stuck', cleanup: never })
    let settled = false

    // Act
    const outcome = handler({}, oneSecondLeft).finally(() => {
      settled = true
    })
    await vi.advanceTimersByTimeAsync(999)
    const settledBefore = settled
    await vi.advanceTimersByTimeAsync(1)

    // Assess
    expect(settledBefore).toBe(false)
    expect(await outcome).toBe('result')
    expect(log).toContain('outer.cleanup')
    expect(reported).toEqual([['stuck', expect.stringMatching(/^cleanup still pending at the deadline/)]])
  })

  test('an onError that never settles: at the deadline the outer onError hooks still answer, the hang is reported', async () => {
    const { reported, hooks } = reporting()
    const handler = wrap(
      () => {
        throw new Error('failed')
      },
      { hooks },
    )
      .use({ name: 'mapper', onError: () => ({ statusCode: 500 }) })
      .use({ name: 'stuck', onError: never })

    const outcome = handler({}, oneSecondLeft)
    await vi.advanceTimersByTimeAsync(1000)

    expect(await outcome).toEqual({ statusCode: 500 })
    expect(reported).toEqual([['stuck', expect.stringMatching(/^onError still pending at the deadline/)]])
  })

  test('without cleanupError the hang is written to console.error, naming the middleware and the phase', async () => {
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const handler = wrap(() => 'result').use({ name: 'stuck', cleanup: never })

    const outcome = handler({}, oneSecondLeft)
    await vi.advanceTimersByTimeAsync(1000)

    expect(await outcome).toBe('result')
    expect(String(errorLog.mock.calls[0]?.[0])).toMatch(
      /^\[lamina\] cleanup of middleware "stuck" failed; .*cleanup still pending at the deadline/,
    )
    errorLog.mockRestore()
  })

  test('an async cleanup that settles in time is waited for, and its timer is cleared', async () => {
    const log: string[] = []
    const handler = wrap(() => 'result').use({
      cleanup: () => new Promise<void>((resolve) => setTimeout(() => resolve(void log.push('flushed')), 500)),
    })

    const outcome = handler({}, oneSecondLeft)
    await vi.advanceTimersByTimeAsync(500)

    expect(await outcome).toBe('result')
    expect(log).toEqual(['flushed'])
    expect(vi.getTimerCount()).toBe(0)
  })

  test('with no deadline (no context, one beyond a timer’s reach, or not a number) an async cleanup is awaited without a timer', async () => {
    for (const context of [
      {},
      null,
      { getRemainingTimeInMillis: () => 2 ** 31 },
      { getRemainingTimeInMillis: () => '5' },
      { getRemainingTimeInMillis: () => null },
    ]) {
      let timers = -1
      const handler = wrap(() => 'result').use({
        cleanup: async () => {
          await Promise.resolve()
          timers = vi.getTimerCount()
        },
      })
      const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined)
      expect(await handler({}, context as never)).toBe('result')
      expect(timers).toBe(0)
      // Nothing to report: a context without a deadline is no failure of the cleanup.
      expect(errorLog).not.toHaveBeenCalled()
      errorLog.mockRestore()
    }
  })

  test('the bound is the full deadline, up to the last timer-reachable millisecond', async () => {
    let timers = -1
    const handler = wrap(() => 'result').use({
      cleanup: async () => {
        await Promise.resolve()
        timers = vi.getTimerCount()
      },
    })
    expect(await handler({}, { getRemainingTimeInMillis: () => 2 ** 31 - 1 } as never)).toBe('result')
    expect(timers).toBe(1)
  })

  test('a synchronous chain starts no timer', async () => {
    let timers = -1
    const handler = wrap(() => 'result').use({
      onError: () => undefined,
      cleanup: () => {
        timers = vi.getTimerCount()
      },
    })
    expect(await handler({}, oneSecondLeft)).toBe('result')
    expect(timers).toBe(0)
  })
})
