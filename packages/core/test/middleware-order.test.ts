import { type Middleware, orderKey, orderRank, wrap } from '@lamina/core'
import { timeoutGuard } from '@lamina/timeout'
import { afterEach, describe, expect, test, vi } from 'vitest'

afterEach(() => {
  vi.restoreAllMocks()
})

// Stand-ins for Lamina's middlewares, each carrying its place as the real ones do.
const ranked = (name: string, place: (typeof orderRank)[keyof typeof orderRank]): Middleware => ({
  name,
  [orderKey]: place,
  before: () => undefined,
})
const errors = () => ranked('errors', orderRank.errorMapper)
const logging = () => ranked('logging', orderRank.observability)
const validator = () => ranked('validator', orderRank.input)
const plain = (): Middleware => ({ name: 'plain', before: () => undefined })

describe('Lamina’s middlewares in an order known to lose behaviour', () => {
  test('the one order, with plain middlewares anywhere, says nothing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    wrap(() => 'ok')
      .use(plain())
      .use(timeoutGuard())
      .use([errors(), plain(), logging()])
      .use(validator())
      .use(plain())
    expect(warn).not.toHaveBeenCalled()
  })

  test('the guard after the error mapper: one warning naming both and the order', () => {
    // Prepare
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)

    // Act
    wrap(() => 'ok')
      .use(errors())
      .use(timeoutGuard())

    // Assess
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toBe(
      '[lamina] "timeout-guard" is used after "errors": in that order Lamina\'s middlewares lose behaviour ' +
        '(context keys on error lines, metrics, the timeout answer). The order: warmup() if used, timeoutGuard(), cors() if used, errorMapper(), ' +
        'observability (tracing, logging, metrics), then validator, secrets and the rest.',
    )
  })

  test('a fully reversed chain warns once, not once per middleware', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    wrap(() => 'ok').use([validator(), logging(), errors(), timeoutGuard()])
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^\[lamina\] "logging" is used after "validator"/)
  })

  test('each chain warns for itself, in either API form, and never throws', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    wrap(() => 'ok').use([logging(), errors()])
    wrap<unknown>()
      .use([logging(), errors()])
      .handler(() => 'ok')
    expect(warn).toHaveBeenCalledTimes(2)
  })

  test('an unnamed middleware is named by what it is', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    wrap(() => 'ok').use([
      { [orderKey]: orderRank.input, before: () => undefined },
      { [orderKey]: orderRank.errorMapper, before: () => undefined },
    ])
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^\[lamina\] "middleware #2" is used after "middleware #1"/)
  })

  test('two middlewares of the same place, in either order, say nothing (logging then metrics)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    wrap(() => 'ok').use([logging(), ranked('metrics', orderRank.observability), logging()])
    expect(warn).not.toHaveBeenCalled()
  })

  test('the key is Symbol.for("lamina.order"), so every copy of core agrees on it', () => {
    expect(orderKey).toBe(Symbol.for('lamina.order'))
  })

  test('the places rank first to last: guard, mapper, observability, input', () => {
    const ranks = [orderRank.timeoutGuard, orderRank.errorMapper, orderRank.observability, orderRank.input].map(
      (place) => place.rank,
    )
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    expect(new Set(ranks).size).toBe(4)
  })

  test('a middleware with something else under the key is left alone', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    wrap(() => 'ok').use([
      { [orderKey]: 99 as never, before: () => undefined },
      { [orderKey]: Object.assign(() => undefined, { rank: '99' }) as never, before: () => undefined },
      errors(),
    ])
    expect(warn).not.toHaveBeenCalled()
  })
})
