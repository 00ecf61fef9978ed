import { armTimeout, TimeoutError, wrap } from '@lamina/core'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms))

// Some local tools report a huge remaining time to mean "no deadline". Past 2^31 − 1 ms Node's
// setTimeout (and the fake clock, which copies it) fires after 1 ms, so core starts no timer.
describe('a deadline beyond setTimeout’s range means no deadline', () => {
  const farAway = { getRemainingTimeInMillis: () => 2 ** 31 + 10_000 } as never

  test('an armed guard does not time the invocation out', async () => {
    const handler = wrap(() => after(10, 'ok')).use({ before: (request) => void armTimeout(request, 500) })
    const outcome = handler({}, farAway)
    await vi.advanceTimersByTimeAsync(10)
    expect(await outcome).toBe('ok')
  })

  test('request.signal does not abort, and no timer is started', async () => {
    let signal: AbortSignal | undefined
    let timers = -1
    const handler = wrap((_event: unknown, _context: unknown, options: { signal: AbortSignal }) => {
      signal = options.signal
      timers = vi.getTimerCount()
      return after(10, 'ok')
    })
    const outcome = handler({}, farAway)
    await vi.advanceTimersByTimeAsync(10)
    await outcome
    expect(signal?.aborted).toBe(false)
    expect(timers).toBe(0)
  })
})

describe('the bound is setTimeout’s own: 2^31 − 1 ms', () => {
  const remainingOf = (ms: number) => ({ getRemainingTimeInMillis: () => ms }) as never

  test.each([
    [2 ** 31 - 1, 1],
    [2 ** 31, 0],
  ])('request.signal with %d ms left starts %d timer(s)', async (remaining, expected) => {
    let timers = -1
    const handler = wrap((_event: unknown, _context: unknown, { signal }: { signal: AbortSignal }) => {
      timers = signal.aborted ? -2 : vi.getTimerCount()
    })
    await handler({}, remainingOf(remaining))
    expect(timers).toBe(expected)
  })

  test.each([
    [2 ** 31 - 1 + 500, true],
    [2 ** 31 + 500, false],
  ])('armTimeout with a 500 ms margin and %d ms left arms: %s', async (remaining, expected) => {
    let armed: boolean | undefined
    const handler = wrap(() => 'ok').use({
      before: (request) => {
        armed = armTimeout(request, 500)
      },
    })
    await handler({}, remainingOf(remaining))
    expect(armed).toBe(expected)
  })

  test('armTimeout finds no deadline in a context without one, or with a number that is not one', async () => {
    const seen: boolean[] = []
    const handler = wrap(() => 'ok').use({ before: (request) => void seen.push(armTimeout(request, 0)) })
    for (const context of [{}, remainingOf(Number.NaN), { getRemainingTimeInMillis: () => '100' }, null]) {
      await handler({}, context as never)
    }
    expect(seen).toEqual([false, false, false, false])
  })
})

describe('no context, or not one of core’s requests', () => {
  test('request.signal with a null context never aborts and starts no timer', async () => {
    let seen: [boolean, number] | undefined
    const handler = wrap((_event: unknown, _context: unknown, { signal }: { signal: AbortSignal }) => {
      seen = [signal.aborted, vi.getTimerCount()]
    })
    await handler({}, null as never)
    expect(seen).toEqual([false, 0])
  })

  test.each([null, undefined, {}])('armTimeout(%o) is refused with the message that says what to use', (request) => {
    expect(() => armTimeout(request as never, 100)).toThrow(
      /^armTimeout\(\) needs a request from @lamina\/core wrap\(\)/,
    )
  })
})

test('a deadline armTimeout installs answers disarm(), which older copies of core call on their error path, and stays armed', async () => {
  // Prepare: a request as an older copy of core makes it, with the same useDeadline contract.
  let installed: { disarm(): void; settle<T>(value: PromiseLike<T>): PromiseLike<T>; dispose(): void } | undefined
  const olderRequest = {
    context: { getRemainingTimeInMillis: () => 1000 },
    useDeadline(deadline: { start(context: unknown, marginMs: number): typeof installed }, marginMs: number) {
      installed = deadline.start(this.context, marginMs)
      return true
    },
  }

  // Act
  armTimeout(olderRequest as never, 100)
  installed?.disarm()
  const outcome = Promise.resolve(installed?.settle(new Promise(() => undefined))).catch((error: unknown) => error)
  await vi.advanceTimersByTimeAsync(900)

  // Assess
  expect(await outcome).toBeInstanceOf(TimeoutError)
  installed?.dispose()
})
