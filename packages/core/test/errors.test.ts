import { wrap } from '@lamina/core'
import { createContext, recorder } from '@lamina/testing'
import { describe, expect, test } from 'vitest'

const boom =
  (message = 'boom') =>
  () => {
    throw new Error(message)
  }

describe('error path', () => {
  test.each([
    ['before', { before: boom() }, ['a.before', 'b.before', 'b.onError', 'a.onError', 'b.cleanup', 'a.cleanup']],
    ['handler', {}, ['a.before', 'b.before', 'b.onError', 'a.onError', 'b.cleanup', 'a.cleanup']],
    [
      'after',
      { after: boom() },
      ['a.before', 'b.before', 'b.after', 'b.onError', 'a.onError', 'b.cleanup', 'a.cleanup'],
    ],
  ])('an error from %s runs onError in reverse, then rethrows the original', async (phase, behaviour, expected) => {
    // Prepare
    const log: string[] = []
    const seenErrors: unknown[] = []
    const handler = wrap(phase === 'handler' ? boom() : () => 'ok')
      .use(recorder('a', log, { onError: (request) => void seenErrors.push(request.error) }))
      .use(recorder('b', log, behaviour))

    // Act
    const outcome = handler({}, createContext())

    // Assess
    await expect(outcome).rejects.toThrow('boom')
    expect(log).toEqual(expected)
    expect(seenErrors).toHaveLength(1)
    expect((seenErrors[0] as Error).message).toBe('boom')
  })

  test('onError sees the response cleared, even when an after had set it', async () => {
    let seenResponse: unknown = 'not called'
    const handler = wrap(() => 'handler result')
      .use({
        onError: (request) => {
          seenResponse = request.response
        },
      })
      .use({ after: boom() })
    await expect(handler({}, createContext())).rejects.toThrow('boom')
    expect(seenResponse).toBeUndefined()
  })

  test('a response set in onError handles the error; later onError hooks still run', async () => {
    const log: string[] = []
    const handler = wrap(boom())
      .use(recorder('outer', log))
      .use(
        recorder('mapper', log, {
          onError: (request) => {
            request.response = { statusCode: 500 }
          },
        }),
      )
    expect(await handler({}, createContext())).toEqual({ statusCode: 500 })
    expect(log).toContain('outer.onError')
  })

  test('a value returned from onError handles the error and skips the remaining onError hooks', async () => {
    const log: string[] = []
    const handler = wrap(boom())
      .use(recorder('outer', log))
      .use(recorder('mapper', log, { onError: () => 'mapped' }))
    expect(await handler({}, createContext())).toBe('mapped')
    expect(log).not.toContain('outer.onError')
    expect(log).toContain('outer.cleanup')
  })

  test('an error thrown in onError replaces the original, keeps it as cause, and the remaining hooks still run', async () => {
    const log: string[] = []
    const original = new Error('original')
    const handler = wrap(() => {
      throw original
    })
      .use(recorder('outer', log))
      .use(recorder('broken', log, { onError: boom('while handling') }))

    const error = await handler({}, createContext()).catch((caught: unknown) => caught)

    expect((error as Error).message).toBe('while handling')
    expect((error as Error).cause).toBe(original)
    expect(log).toContain('outer.onError')
  })

  test('an existing cause on the new error is kept; rethrowing the original adds no self-cause', async () => {
    const own = new Error('own cause')
    const withCause = wrap(boom()).use({
      onError: () => {
        throw new Error('new', { cause: own })
      },
    })
    expect(((await withCause({}, createContext()).catch((e: unknown) => e)) as Error).cause).toBe(own)

    const original = new Error('original')
    const rethrow = wrap(() => {
      throw original
    }).use({
      onError: (request) => {
        throw request.error
      },
    })
    const error = (await rethrow({}, createContext()).catch((e: unknown) => e)) as Error
    expect(error).toBe(original)
    expect(error.cause).toBeUndefined()
  })

  test('thrown primitives propagate as they are', async () => {
    const handler = wrap(() => {
      throw 'plain string'
    }).use({
      onError: () => {
        throw 42
      },
    })
    await expect(handler({}, createContext())).rejects.toBe(42)
    const unhandled = wrap(() => {
      throw undefined
    }).use({ onError: () => undefined })
    await expect(unhandled({}, createContext())).rejects.toBeUndefined()
  })

  test('async rejections take the same path as sync throws', async () => {
    const handler = wrap(async () => {
      throw new Error('async boom')
    }).use({ onError: async (request) => ({ handled: (request.error as Error).message }) })
    expect(await handler({}, createContext())).toEqual({ handled: 'async boom' })
  })

  test('an earlyResponse left by a failing hook does not count as handling the error', async () => {
    const log: string[] = []
    const handler = wrap(() => 'ok')
      .use(recorder('outer', log))
      .use(recorder('inner', log))
      .use({
        after: (request) => {
          ;(request as unknown as { earlyResponse: unknown }).earlyResponse = 'half-done'
          throw new Error('after failed')
        },
      })
    await expect(handler({}, createContext())).rejects.toThrow('after failed')
    expect(log).toEqual(expect.arrayContaining(['inner.onError', 'outer.onError']))
  })
})
