import { wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import { describe, expect, test } from 'vitest'

describe('request', () => {
  test('carries event, context, response, error, internal and signal, Middy’s field names', async () => {
    let keys: string[] = []
    const handler = wrap(() => 'ok').use({
      before: (request) => {
        keys = ['event', 'context', 'response', 'error', 'internal', 'signal'].filter((key) => key in request)
      },
    })
    await handler({}, createContext())
    expect(keys).toEqual(['event', 'context', 'response', 'error', 'internal', 'signal'])
  })

  test('internal is fresh for every invocation and prototype-less', async () => {
    const seen: Record<string, unknown>[] = []
    const handler = wrap(() => 'ok').use({
      before: (request) => {
        seen.push(request.internal)
        request.internal.leftover = true
      },
    })
    await handler({}, createContext())
    await handler({}, createContext())
    expect(seen[0]).not.toBe(seen[1])
    expect(seen[1]).toEqual({ leftover: true })
    expect(Object.getPrototypeOf(seen[0])).toBeNull()
  })

  test('the engine re-reads request.internal: a replaced object is what later hooks see', async () => {
    // Powertools' middlewares do exactly this: request.internal = { ...request.internal, key }.
    let seenByAfter: unknown
    const handler = wrap(() => 'ok')
      .use({
        after: (request) => {
          seenByAfter = request.internal
        },
      })
      .use({
        before: (request) => {
          request.internal = { ...request.internal, 'powertools-for-aws.logger': 'cleanup-fn' }
        },
      })
    await handler({}, createContext())
    expect(seenByAfter).toEqual({ 'powertools-for-aws.logger': 'cleanup-fn' })
  })

  test('a before may replace the event and the context the handler receives', async () => {
    const handler = wrap((event: unknown, context: unknown) => [event, context]).use({
      before: (request) => {
        request.event = { parsed: true }
        request.context = { ...request.context, extra: 1 }
      },
    })
    const [event, context] = (await handler({ raw: true }, createContext())) as [unknown, Record<string, unknown>]
    expect(event).toEqual({ parsed: true })
    expect(context.extra).toBe(1)
  })
})

describe('sync hooks run without an await', () => {
  test('a fully synchronous stack settles within one microtask turn', async () => {
    // Prepare: a microtask queued before the call runs after any awaits inside the call.
    const order: string[] = []
    const handler = wrap(() => {
      order.push('handler')
      return 'ok'
    })
      .use({ before: () => void order.push('before'), after: () => void order.push('after') })
      .use({ cleanup: () => void order.push('cleanup') })

    // Act
    const outcome = handler({}, createContext()).then(() => order.push('resolved'))
    queueMicrotask(() => order.push('microtask'))
    await outcome

    // Assess: everything ran synchronously inside the call; only the final resolution waited.
    expect(order.slice(0, 4)).toEqual(['before', 'handler', 'after', 'cleanup'])
  })

  test('any thenable is awaited, not only native promises', async () => {
    // biome-ignore lint/suspicious/noThenProperty: a non-native thenable is exactly what is under test
    const thenable = { then: (resolve: (value: string) => void) => resolve('from thenable') }
    const handler = wrap(() => thenable as unknown as string)
    expect(await handler({}, createContext())).toBe('from thenable')
  })

  test('a function with a then method is a thenable too (as await sees it); other values are answers as they are', async () => {
    const callable = Object.assign(() => undefined, {
      // biome-ignore lint/suspicious/noThenProperty: a callable thenable is exactly what is under test
      then: (resolve: (value: string) => void) => resolve('from callable thenable'),
    })
    const viaHandler = wrap(() => callable as unknown as string)
    const viaBefore = wrap(() => 'handler').use({ before: () => callable })
    const plainFunction = () => undefined
    const answersAFunction = wrap(() => plainFunction)
    expect(await viaHandler({}, createContext())).toBe('from callable thenable')
    expect(await viaBefore({}, createContext())).toBe('from callable thenable')
    expect(await answersAFunction({}, createContext())).toBe(plainFunction)
    expect(await wrap(() => 0)({}, createContext())).toBe(0)
  })
})
