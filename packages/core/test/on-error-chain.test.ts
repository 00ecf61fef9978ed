import { type Middleware, type Request, wrap } from '@lamina/core'
import { createContext, hostileValues } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

// An outer error mapper, as @lamina/errors places it: it answers whatever error reaches it.
const mapper = (seen: unknown[] = []): Middleware => ({
  name: 'mapper',
  onError: (request) => {
    seen.push(request.error)
    request.response = { statusCode: 500 }
  },
})

const throwing = (value: () => unknown) => () => {
  throw value()
}

describe('a throwing onError hook does not end the chain (where Lamina parts from Middy)', () => {
  test('a failing observer cannot take the outer mapper’s answer away', async () => {
    // Prepare
    const original = new Error('not found')
    const seen: unknown[] = []
    const handler = wrap(throwing(() => original))
      .use(mapper(seen))
      .use({ name: 'logger', onError: throwing(() => new Error('logger failed')) })

    // Act
    const response = await handler({}, createContext())

    // Assess
    expect(response).toEqual({ statusCode: 500 })
    expect(seen).toHaveLength(1)
    expect((seen[0] as Error).message).toBe('logger failed')
    expect((seen[0] as Error).cause).toBe(original)
  })

  test('an error thrown after an inner hook set a response clears it: the new error is what is handled', async () => {
    const handler = wrap(throwing(() => new Error('original')))
      .use({ name: 'observer', onError: throwing(() => new Error('observer failed')) })
      .use({
        name: 'inner',
        onError: (request: Request) => {
          request.response = 'answer for the original'
        },
      })

    await expect(handler({}, createContext())).rejects.toThrow('observer failed')
  })

  test('an async onError that rejects takes the same path as one that throws', async () => {
    const seen: unknown[] = []
    const handler = wrap(throwing(() => new Error('original')))
      .use(mapper(seen))
      .use({ onError: async () => Promise.reject(new Error('async observer failed')) })

    expect(await handler({}, createContext())).toEqual({ statusCode: 500 })
    expect((seen[0] as Error).message).toBe('async observer failed')
  })

  test('an onError that throws null: null is the error, and unhandled it is what the invocation rejects with', async () => {
    const handler = wrap(throwing(() => new Error('original'))).use({ onError: throwing(() => null) })
    await expect(handler({}, createContext())).rejects.toBeNull()
  })
})

describe('the engine’s bookkeeping never throws and never makes a cause cycle', () => {
  test('a frozen Error thrown in onError is what the invocation rejects with, not a TypeError from core', async () => {
    const frozen = Object.freeze(new Error('frozen'))
    const handler = wrap(throwing(() => new Error('original'))).use({ onError: throwing(() => frozen) })

    await expect(handler({}, createContext())).rejects.toBe(frozen)
    expect(frozen.cause).toBeUndefined()
  })

  test('rethrowing request.error.cause creates no cycle', async () => {
    const root = new Error('root cause')
    const handler = wrap(throwing(() => new Error('wrapper', { cause: root }))).use({
      onError: (request) => {
        throw (request.error as Error).cause
      },
    })

    const error = (await handler({}, createContext()).catch((caught: unknown) => caught)) as Error

    expect(error).toBe(root)
    expect(root.cause).toBeUndefined()
  })

  test('a new error is linked to an original whose own cause chain loops, without looping further', async () => {
    const first = new Error('first')
    const second = new Error('second', { cause: first })
    first.cause = second
    const handler = wrap(throwing(() => first)).use({ onError: throwing(() => second) })

    const error = (await handler({}, createContext()).catch((caught: unknown) => caught)) as Error

    expect(error).toBe(second)
    expect(second.cause).toBe(first)
  })

  test.each(hostileValues().map(({ name, value }) => [name, value] as const))(
    'the outer mapper answers when the handler throws %s and an observer rethrows it',
    async (_name, value) => {
      const handler = wrap(throwing(() => value))
        .use(mapper())
        .use({ onError: (request) => Promise.reject(request.error) })
        .use({
          onError: () => {
            throw value
          },
        })
      expect(await handler({}, createContext())).toEqual({ statusCode: 500 })
    },
  )

  test('property: whatever a handler and its onError hooks throw, an outer mapper answers 500 and no cause cycle is made', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withNullPrototype: true }),
        fc.array(fc.oneof(fc.anything(), fc.constant('rethrow-cause')), { maxLength: 4 }),
        async (thrown, hookThrows) => {
          const handler = wrap(throwing(() => thrown)).use(mapper())
          for (const hookThrow of hookThrows) {
            handler.use({
              onError: (request) => {
                throw hookThrow === 'rethrow-cause' ? (request.error as { cause?: unknown } | null)?.cause : hookThrow
              },
            })
          }
          expect(await handler({}, createContext())).toEqual({ statusCode: 500 })
          expect(hasCauseCycle(thrown)).toBe(false)
        },
      ),
      { numRuns: 300 },
    )
  })
})

/** True when following `.cause` from `value` comes back to a value already seen. */
function hasCauseCycle(value: unknown): boolean {
  const seen = new Set<unknown>()
  for (let link = value; typeof link === 'object' && link !== null; link = (link as { cause?: unknown }).cause) {
    if (seen.has(link)) return true
    seen.add(link)
  }
  return false
}
