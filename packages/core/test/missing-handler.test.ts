import { type Context, type HandlerBuilder, wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import { afterEach, describe, expect, test, vi } from 'vitest'

afterEach(() => {
  vi.restoreAllMocks()
})

type Chain = HandlerBuilder<unknown, Context, unknown, Context>

// What a user exports when they forget `.handler()`: callable, so it deploys, but it has no handler.
const unfinished = (build: (chain: Chain) => unknown) =>
  build(wrap<unknown>()) as (event: unknown, context: unknown) => Promise<unknown>

describe('a chain exported without .handler() fails loudly', () => {
  test.each([
    ['no middleware', (chain: Chain) => chain],
    ['an error mapper that answers every error', (chain: Chain) => chain.use({ onError: () => ({ statusCode: 500 }) })],
    ['a before that answers early (warmup, a cache)', (chain: Chain) => chain.use({ before: () => 'warm' })],
  ])('with %s: one console.error line naming the fix, on every invocation', async (_label, build) => {
    // Prepare
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const handler = unfinished(build)

    // Act
    await handler({}, createContext()).catch(() => undefined)
    await handler({}, createContext()).catch(() => undefined)

    // Assess
    expect(errorLog).toHaveBeenCalledTimes(2)
    expect(String(errorLog.mock.calls[0]?.[0])).toMatch(
      /^\[lamina\] No handler, so every invocation fails: end the chain with \.handler\(fn\)/,
    )
  })

  test('unmapped, the invocation rejects with the same message', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined)
    await expect(unfinished((chain) => chain)({}, createContext())).rejects.toThrow('end the chain with .handler(fn).')
  })

  test('a finished chain prints nothing', async () => {
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const handler = wrap<{ n: number }>().handler((event) => event.n)
    expect(await handler({ n: 3 }, createContext())).toBe(3)
    expect(errorLog).not.toHaveBeenCalled()
  })
})
