import { TimeoutError, wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { after, track } from './track.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

interface Job {
  id: number
  workMs: number
}

/** One guarded function shared by every invocation, as in one Lambda process running many at once. */
function sharedFunction(marginMs: number, cleanedUp: { id: number; error: unknown; aborted: boolean }[]) {
  return wrap((event: Job) => after(event.workMs, `done ${event.id}`))
    .use(timeoutGuard({ marginMs }))
    .use({
      name: 'flush',
      cleanup: (request) =>
        void cleanedUp.push({ id: request.event.id, error: request.error, aborted: request.signal.aborted }),
    })
}

describe('timeoutGuard with overlapping invocations', () => {
  test('each times out on its own deadline, and only the ones that ran out of time', async () => {
    // Prepare: three invocations that never finish in time, with deadlines 1 s, 2 s and 3 s; one that does.
    const cleanedUp: { id: number; error: unknown; aborted: boolean }[] = []
    const handler = sharedFunction(100, cleanedUp)
    const first = track(handler({ id: 1, workMs: 60_000 }, createContext({ timeoutMs: 1000 })))
    const second = track(handler({ id: 2, workMs: 60_000 }, createContext({ timeoutMs: 2000 })))
    const third = track(handler({ id: 3, workMs: 60_000 }, createContext({ timeoutMs: 3000 })))
    const quick = track(handler({ id: 4, workMs: 1500 }, createContext({ timeoutMs: 3000 })))

    // Act + Assess, step by step through time
    await vi.advanceTimersByTimeAsync(900)
    expect([first.settled, second.settled, third.settled, quick.settled]).toEqual([true, false, false, false])
    await vi.advanceTimersByTimeAsync(1000)
    expect([second.settled, third.settled, quick.settled]).toEqual([true, false, true])
    await vi.advanceTimersByTimeAsync(1000)
    expect(third.settled).toBe(true)

    expect(first.error).toBeInstanceOf(TimeoutError)
    expect(second.error).toBeInstanceOf(TimeoutError)
    expect(third.error).toBeInstanceOf(TimeoutError)
    expect(quick.value).toBe('done 4')
    expect(cleanedUp.map(({ id, aborted }) => ({ id, aborted }))).toEqual([
      { id: 1, aborted: true },
      { id: 4, aborted: false },
      { id: 2, aborted: true },
      { id: 3, aborted: true },
    ])
    // Only the abandoned work's own timers are left; the guard's are gone.
    expect(vi.getTimerCount()).toBe(3)
  })

  test('property: with random deadlines and work, exactly the invocations whose work outlasts deadline − margin time out', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1000 }),
        fc.array(
          fc.record({ timeoutMs: fc.integer({ min: 0, max: 5000 }), workMs: fc.integer({ min: 0, max: 6000 }) }),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        async (marginMs, plans) => {
          // Equal times race two timers scheduled at the same instant: keep the property about clear cases.
          fc.pre(plans.every(({ timeoutMs, workMs }) => workMs !== timeoutMs - marginMs))
          vi.useFakeTimers()
          const cleanedUp: { id: number; error: unknown; aborted: boolean }[] = []
          const handler = sharedFunction(marginMs, cleanedUp)

          const outcomes = plans.map(({ timeoutMs, workMs }, id) =>
            track(handler({ id, workMs }, createContext({ timeoutMs }))),
          )
          await vi.advanceTimersByTimeAsync(6000)
          await Promise.all(outcomes.map((outcome) => outcome.done))

          plans.forEach(({ timeoutMs, workMs }, id) => {
            const outcome = outcomes[id]
            if (workMs < timeoutMs - marginMs) expect(outcome?.value).toBe(`done ${id}`)
            else expect(outcome?.error).toBeInstanceOf(TimeoutError)
          })
          // An invocation with no time left at all ends in the guard's before: later middlewares never start.
          const started = plans.flatMap(({ timeoutMs }, id) => (timeoutMs - marginMs > 0 ? [id] : []))
          expect(cleanedUp.map(({ id }) => id).sort((a, b) => a - b)).toEqual(started)
          for (const { error, aborted } of cleanedUp) expect(aborted).toBe(error instanceof TimeoutError)
          expect(vi.getTimerCount()).toBe(0)
          vi.useRealTimers()
        },
      ),
      { numRuns: 200 },
    )
  })
})
