import { backoffCap, backoffDelay } from '@lamina/retry'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const schedule = fc.record({
  attempt: fc.integer({ min: 1, max: 2000 }),
  baseMs: fc.double({ min: 0, max: 10_000, noNaN: true }),
  extraMs: fc.double({ min: 0, max: 100_000, noNaN: true }),
})

describe('the backoff schedule (property)', () => {
  it('is never negative, never past maxMs, and jittered within [0, cap]', () => {
    fc.assert(
      fc.property(
        schedule,
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        ({ attempt, baseMs, extraMs }, draw) => {
          // Prepare
          const maxMs = baseMs + extraMs
          const cap = backoffCap(attempt, baseMs, maxMs)

          // Act
          const delay = backoffDelay(attempt, baseMs, maxMs, () => draw)

          // Assess
          expect(cap).toBeLessThanOrEqual(maxMs)
          expect(cap).toBe(Math.min(maxMs, baseMs * 2 ** Math.min(attempt - 1, 52)))
          expect(delay).toBeGreaterThanOrEqual(0)
          expect(delay).toBeLessThanOrEqual(cap)
          expect(delay).toBeCloseTo(draw * cap, 6)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('has caps that never shrink from one attempt to the next', () => {
    fc.assert(
      fc.property(schedule, ({ attempt, baseMs, extraMs }) => {
        expect(backoffCap(attempt + 1, baseMs, baseMs + extraMs)).toBeGreaterThanOrEqual(
          backoffCap(attempt, baseMs, baseMs + extraMs),
        )
      }),
    )
  })

  it('stays within [0, cap] even when the random source misbehaves', () => {
    fc.assert(
      fc.property(schedule, fc.double(), ({ attempt, baseMs, extraMs }, draw) => {
        const delay = backoffDelay(attempt, baseMs, baseMs + extraMs, () => draw)
        expect(delay).toBeGreaterThanOrEqual(0)
        expect(delay).toBeLessThanOrEqual(backoffCap(attempt, baseMs, baseMs + extraMs))
      }),
    )
  })

  it('doubles from baseMs: 100, 200, 400, 800, then the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffCap(attempt, 100, 1000))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ])
  })
})
