import { timeoutGuard } from '@lamina/timeout'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

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

  test('no options, an empty object, 0 and fractional margins are accepted', () => {
    expect(timeoutGuard().name).toBe('timeout-guard')
    expect(timeoutGuard({}).name).toBe('timeout-guard')
    expect(timeoutGuard({ marginMs: 0 }).name).toBe('timeout-guard')
    expect(timeoutGuard({ marginMs: 12.5, response: { statusCode: 504 } }).name).toBe('timeout-guard')
  })

  test('property: any finite margin ≥ 0 is accepted; any other number is a RangeError; any non-number a TypeError', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, noNaN: true, noDefaultInfinity: true }), (marginMs) => {
        expect(typeof timeoutGuard({ marginMs }).before).toBe('function')
      }),
    )
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
