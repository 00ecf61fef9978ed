import { wrap } from '@lamina/core'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

describe('middleware validation when added', () => {
  const handler = () => wrap(() => 'ok')

  // One message for every refusal: it names the middleware (by name, else by position), says what
  // a middleware is, and shows the one mistake worth spelling out (a factory passed uncalled).
  const refusal = (who: string) =>
    new RegExp(
      `^middleware ${who} needs before/after/onError/cleanup functions: \\.use\\(logging\\(\\)\\), not \\.use\\(logging\\)\\.$`,
    )

  test.each([
    ['null', null, '#1'],
    ['undefined', undefined, '#1'],
    ['a string', 'logging', '#1'],
    ['a number', 5, '#1'],
    ['an object with no hook', {}, '#1'],
    ['a hook that is a string', { name: 'broken', before: 'nope' }, 'broken'],
    ['a hook that is null beside a good one', { name: 'half', before: () => undefined, after: null }, 'half'],
    ['a hook that is 0', { after: 0 }, '#1'],
    ['an empty name', { name: '', after: 1 }, '#1'],
  ])('%s is refused at .use() with a TypeError naming the middleware', (_label, middleware, who) => {
    expect(() => handler().use(middleware as never)).toThrow(TypeError)
    expect(() => handler().use(middleware as never)).toThrow(refusal(who))
  })

  test('a factory passed instead of its result is refused, by its name', () => {
    const factory = () => ({ before: () => undefined })
    expect(() => handler().use(factory as never)).toThrow(refusal('factory'))
  })

  test('property: anything without a hook, or with a hook that is not a function, is refused', () => {
    const notAFunction = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.object())
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.object())
            .filter(
              (value) =>
                !['before', 'after', 'onError', 'cleanup'].some((phase) => (value as never)?.[phase] !== undefined),
            ),
          fc.record({ before: fc.func(fc.anything()), after: notAFunction }),
          fc.record({ cleanup: notAFunction }),
        ),
        (middleware) => {
          expect(() => handler().use(middleware as never)).toThrow(TypeError)
        },
      ),
    )
  })

  test('a bad entry in an array adds none of the array, and names its position', async () => {
    const wrapped = handler().use({ before: () => undefined })
    const calls: string[] = []
    expect(() => wrapped.use([{ before: () => void calls.push('first') }, { before: 5 } as never])).toThrow(
      refusal('#3'),
    )
    await wrapped({}, {} as never)
    expect(calls).toEqual([])
  })

  test('a function that carries hooks is a middleware like any other', async () => {
    const log: string[] = []
    const handler = wrap(() => 'ok').use(Object.assign(() => undefined, { before: () => void log.push('before') }))
    await handler({}, {} as never)
    expect(log).toEqual(['before'])
  })

  test('bad wrap() and .handler() arguments are refused with a clear message', () => {
    const options = /^wrap\(\) options must be an object; hooks from lifecycleHooks\(\)/
    expect(() => wrap('handler' as never)).toThrow(options)
    expect(() => wrap(() => 'ok', null as never)).toThrow(options)
    expect(() => wrap(null as never)).toThrow(options)
    expect(() => wrap(() => 'ok', 5 as never)).toThrow(options)
    expect(() => wrap<unknown>().handler('fn' as never)).toThrow(/^\.handler\(fn\) takes a function\.$/)
  })
})
