import { lifecycleHooks, wrap } from '@lamina/core'
import { createContext, recorder } from '@lamina/testing'
import { describe, expect, test } from 'vitest'

describe('hook order', () => {
  test('before in registration order, handler, after in reverse, cleanup in reverse', async () => {
    // Prepare
    const log: string[] = []
    const handler = wrap(() => {
      log.push('handler')
      return 'done'
    })
      .use(recorder('a', log))
      .use([recorder('b', log), recorder('c', log)])

    // Act
    const result = await handler({}, createContext())

    // Assess
    expect(result).toBe('done')
    expect(log).toEqual([
      'a.before',
      'b.before',
      'c.before',
      'handler',
      'c.after',
      'b.after',
      'a.after',
      'c.cleanup',
      'b.cleanup',
      'a.cleanup',
    ])
  })

  test('the handler is called as (event, context, { signal }), Middy’s call shape', async () => {
    const context = createContext()
    let seen: unknown[] = []
    const handler = wrap((event: unknown, ctx: unknown, options: { signal: AbortSignal }) => {
      seen = [event, ctx, options.signal instanceof AbortSignal]
    })
    await handler({ id: 1 }, context)
    expect(seen).toEqual([{ id: 1 }, context, true])
  })

  test('a before returning a value answers early: handler and afters skipped, cleanup still runs', async () => {
    const log: string[] = []
    const handler = wrap(() => log.push('handler'))
      .use(recorder('a', log))
      .use(recorder('b', log, { before: () => ({ statusCode: 204 }) }))
      .use(recorder('c', log))

    const result = await handler({}, createContext())

    expect(result).toEqual({ statusCode: 204 })
    expect(log).toEqual(['a.before', 'b.before', 'b.cleanup', 'a.cleanup'])
  })

  test('falsy early responses (0, "", false, null) still answer early; undefined does not', async () => {
    for (const early of [0, '', false, null]) {
      const handler = wrap(() => 'handler ran').use({ before: () => early })
      expect(await handler({}, createContext())).toBe(early)
    }
    const passThrough = wrap(() => 'handler ran').use({ before: () => undefined })
    expect(await passThrough({}, createContext())).toBe('handler ran')
  })

  test('a before setting request.earlyResponse answers early (Middy ≥ 6 style)', async () => {
    const handler = wrap(() => 'handler ran').use({
      before: (request) => {
        ;(request as unknown as { earlyResponse: unknown }).earlyResponse = undefined
      },
    })
    expect(await handler({}, createContext())).toBeUndefined()
  })

  test('request.earlyResponse set to a response is what the invocation answers, in before, after and onError', async () => {
    const answer = { statusCode: 204 }
    const setEarly = (request: unknown) => {
      ;(request as { earlyResponse: unknown }).earlyResponse = answer
    }
    const log: string[] = []
    const fromBefore = wrap(() => 'handler ran')
      .use(recorder('outer', log))
      .use({ before: setEarly })
    const fromAfter = wrap(() => 'handler ran')
      .use(recorder('outer', log))
      .use({ after: setEarly })
    const fromOnError = wrap(() => {
      throw new Error('failed')
    })
      .use(recorder('outer', log))
      .use({ onError: setEarly })

    expect(await fromBefore({}, createContext())).toBe(answer)
    expect(await fromAfter({}, createContext())).toBe(answer)
    expect(await fromOnError({}, createContext())).toBe(answer)
    // Each ended its phase: the outer after and onError never ran.
    expect(log.filter((entry) => entry === 'outer.after' || entry === 'outer.onError')).toEqual([])
  })

  test('an after returning a value replaces the response and ends the after phase', async () => {
    const log: string[] = []
    const handler = wrap(() => 'original')
      .use(recorder('outer', log))
      .use(recorder('replacer', log, { after: () => 'replaced' }))
      .use(recorder('inner', log))

    const result = await handler({}, createContext())

    expect(result).toBe('replaced')
    expect(log).toEqual([
      'outer.before',
      'replacer.before',
      'inner.before',
      'inner.after',
      'replacer.after',
      'inner.cleanup',
      'replacer.cleanup',
      'outer.cleanup',
    ])
  })

  test('an after may change the response in place', async () => {
    const handler = wrap(() => ({ statusCode: 200 })).use({
      after: (request) => {
        request.response.headers = { 'x-added': 'yes' }
      },
    })
    expect(await handler({}, createContext())).toEqual({ statusCode: 200, headers: { 'x-added': 'yes' } })
  })

  test('handler-last form: .handler(fn) sets the function', async () => {
    const handler = wrap<{ n: number }>()
      .use({ before: () => undefined })
      .handler((event) => event.n + 1)
    expect(await handler({ n: 1 }, createContext())).toBe(2)
  })

  test('hooks are called as plain functions, as Middy calls them: keep state in a closure, not on `this`', async () => {
    let seenThis: unknown = 'not called'
    const handler = wrap(() => 'ok').use({
      before: function (this: unknown) {
        seenThis = this
      },
    })
    await handler({}, createContext())
    expect(seenThis).toBeUndefined()
  })

  test('a missing event or context becomes {}, as in Middy, so hooks can read properties safely', async () => {
    let seen: unknown[] = []
    const handler = wrap((event: unknown, context: unknown) => {
      seen = [event, context]
    }).use({ before: (request) => void request.context.functionName })
    await (handler as unknown as () => Promise<unknown>)()
    expect(seen).toEqual([{}, {}])
  })
})

describe('promise hops', () => {
  /** Which settles first: the invocation, or a chain of `hops` microtasks started right after it. */
  async function settlesWithin(invocation: Promise<unknown>, hops: number): Promise<boolean> {
    let settled = false
    void invocation.then(() => {
      settled = true
    })
    for (let hop = 0; hop < hops; hop++) await Promise.resolve()
    return settled
  }

  test('a synchronous stack around a synchronous handler settles without a hop of its own', async () => {
    const handler = wrap(() => 'ok')
      .use({ before: () => undefined, after: () => undefined, cleanup: () => undefined })
      .use({ before: () => undefined, after: () => undefined })
    expect(await settlesWithin(handler({}, createContext()), 1)).toBe(true)
  })

  test('with lifecycle hooks given, synchronous hooks stay synchronous', async () => {
    const handler = wrap(() => 'ok', {
      hooks: lifecycleHooks({ hookStart: () => undefined, hookEnd: () => undefined }),
    })
      .use({ before: () => undefined, after: () => undefined, cleanup: () => undefined })
      .use({ before: () => undefined, after: () => undefined })
    expect(await settlesWithin(handler({}, createContext()), 1)).toBe(true)
  })

  test('a synchronous stack around an async handler costs one hop, not one per hook', async () => {
    const handler = wrap(async () => 'ok')
      .use({ before: () => undefined, after: () => undefined, cleanup: () => undefined })
      .use({ before: () => undefined, after: () => undefined })
      .use({ before: () => undefined, after: () => undefined })
    expect(await settlesWithin(handler({}, createContext()), 2)).toBe(true)
  })
})
