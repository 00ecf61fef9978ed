import { wrap } from '@lamina/core'
import { describe, expect, test } from 'vitest'

describe('middleware validation when added', () => {
  const handler = () => wrap(() => 'ok')

  test.each([
    [null, /middleware #1 is null/],
    [undefined, /middleware #1 is undefined/],
    ['logging', /middleware #1 is string/],
    [{}, /middleware #1 has no hooks: call the factory, .*; \.use\(\) takes an object/],
    [{ name: 'broken', before: 'nope' }, /middleware "broken" has a "before" that is string; \.use\(\) takes/],
    [{ name: '', after: 1 }, /middleware #1 has a "after" that is number/],
    // A name that is not a string (a number, say) is not shown: the position is.
    [{ name: 42, before: true }, /middleware #1 has a "before" that is boolean/],
  ])('%o is refused with a TypeError naming the middleware', (middleware, message) => {
    expect(() => handler().use(middleware as never)).toThrow(TypeError)
    expect(() => handler().use(middleware as never)).toThrow(message)
  })

  test('a factory passed instead of its result is refused', () => {
    const factory = () => ({ before: () => undefined })
    expect(() => handler().use(factory as never)).toThrow(
      /middleware "factory" has no hooks: call the factory, \.use\(logging\(\)\) not \.use\(logging\)/,
    )
  })

  test('a bad entry in an array adds none of the array, and names its position', async () => {
    const wrapped = handler().use({ before: () => undefined })
    const calls: string[] = []
    expect(() => wrapped.use([{ before: () => void calls.push('first') }, { before: 5 } as never])).toThrow(
      /middleware #3 has a "before" that is number/,
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

  test('bad wrap() arguments are refused with a clear message', () => {
    expect(() => wrap('handler' as never)).toThrow(/wrap\(\) options must be an object/)
    expect(() => wrap(() => 'ok', null as never)).toThrow(/wrap\(\) options must be an object like \{ hooks \}/)
    expect(() => wrap(null as never)).toThrow(/wrap\(\) options must be an object like \{ hooks \}/)
    expect(() => wrap<unknown>().handler('fn' as never)).toThrow(/\.handler\(\) needs a function; got string/)
  })
})
