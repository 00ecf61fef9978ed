import { wrap } from '@lamina/core'
import { TimeoutError, timeoutGuard } from '@lamina/timeout'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

/**
 * A context whose deadline is always `remaining` ms away, and a guarded invocation's outcome: the
 * handler's value, or the error it failed with (the guard throws at once when nothing is left).
 */
const fixedDeadline = (remaining: number) => ({ getRemainingTimeInMillis: () => remaining }) as never

describe('timeoutGuard options are checked at setup', () => {
  test.each([
    [-1, RangeError, /marginMs must be a finite number of milliseconds, 0 or more.*got -1/],
    [Number.NaN, RangeError, /got NaN/],
    [Number.POSITIVE_INFINITY, RangeError, /got Infinity/],
    ['500', TypeError, /marginMs must be a number of milliseconds, like 500; got the string "500"/],
    [null, TypeError, /got null/],
    [[500], TypeError, /got an array/],
    [500n, TypeError, /got bigint/],
  ])('marginMs %s throws a %s that says what to pass', (marginMs, ErrorType, message) => {
    expect(() => timeoutGuard({ marginMs: marginMs as number })).toThrow(ErrorType)
    expect(() => timeoutGuard({ marginMs: marginMs as number })).toThrow(message)
  })

  test.each([
    ['a string', 'fast', /takes an options object like \{ marginMs: 500 \}; got the string "fast"/],
    ['a number', 500, /got number/],
    ['null', null, /got null/],
    ['an array', [], /got an array/],
  ])('options given as %s throw a TypeError', (_label, options, message) => {
    expect(() => timeoutGuard(options as never)).toThrow(TypeError)
    expect(() => timeoutGuard(options as never)).toThrow(message)
  })

  test('a misspelt option is an error, not a silently ignored default', () => {
    expect(() => timeoutGuard({ margin: 100 } as never)).toThrow(
      'timeoutGuard() has no option "margin"; the options are marginMs and response.',
    )
  })

  test('no options, an empty object, 0 and fractional margins are accepted and used', async () => {
    // Prepare: a deadline 100 ms away; the handler runs only if the margin leaves time for it.
    const withMargin = (options?: Parameters<typeof timeoutGuard>[0]) =>
      wrap(() => 'ran')
        .use(timeoutGuard(options))({}, fixedDeadline(100))
        .catch((error: unknown) => error)

    // Act, Assess
    expect(await withMargin()).toBeInstanceOf(TimeoutError) // default 500 ms > 100 ms left
    expect(await withMargin({})).toBeInstanceOf(TimeoutError)
    expect(await withMargin({ marginMs: 0 })).toBe('ran')
    expect(await withMargin({ marginMs: 99.5 })).toBe('ran')
    expect(await withMargin({ marginMs: 100 })).toBeInstanceOf(TimeoutError)
    expect(await withMargin({ marginMs: 12.5, response: { statusCode: 504 } })).toBe('ran')
  })

  test('property: any finite margin ≥ 0 is used as given: the guard fails at once exactly when no more time is left than the margin', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        async (marginMs, remaining) => {
          const outcome = await wrap(() => 'ran')
            .use(timeoutGuard({ marginMs }))({}, fixedDeadline(remaining))
            .catch((error: unknown) => error)
          expect(outcome === 'ran').toBe(remaining > marginMs)
        },
      ),
    )
  })

  test('property: any other number is a RangeError; any non-number a TypeError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ max: -Number.MIN_VALUE }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY)),
        (marginMs) => {
          expect(() => timeoutGuard({ marginMs })).toThrow(RangeError)
        },
      ),
    )
    fc.assert(
      fc.property(
        fc.anything().filter((value) => typeof value !== 'number' && value !== undefined),
        (marginMs) => {
          expect(() => timeoutGuard({ marginMs: marginMs as number })).toThrow(TypeError)
        },
      ),
    )
  })
})
