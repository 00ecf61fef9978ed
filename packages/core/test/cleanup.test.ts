import { forgetSecret, lifecycleHooks, registerSecret, wrap } from '@lamina/core'
import { createContext, recorder } from '@lamina/testing'
import { afterEach, describe, expect, test, vi } from 'vitest'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('cleanup', () => {
  test('a middleware without cleanup, below one with it, is passed over: nothing is reported', async () => {
    // Prepare: the outer middleware has no cleanup, the inner one has
    const cleanupError = vi.fn()
    const log: string[] = []
    const handler = wrap(() => 'ok', { hooks: lifecycleHooks({ cleanupError }) })
      .use({ name: 'outer', before: () => undefined })
      .use({ name: 'inner', cleanup: () => void log.push('inner.cleanup') })
    // Act
    const answer = await handler({}, createContext())
    // Assess
    expect(answer).toBe('ok')
    expect(log).toEqual(['inner.cleanup'])
    expect(cleanupError).not.toHaveBeenCalled()
  })

  test('runs once per middleware on success, error, and early return', async () => {
    for (const [label, build] of [
      [
        'success',
        (log: string[]) =>
          wrap(() => 'ok')
            .use(recorder('a', log))
            .use(recorder('b', log)),
      ],
      [
        'handler error',
        (log: string[]) =>
          wrap(() => Promise.reject(new Error('x')))
            .use(recorder('a', log))
            .use(recorder('b', log)),
      ],
      [
        'early',
        (log: string[]) =>
          wrap(() => 'ok')
            .use(recorder('a', log))
            .use(recorder('b', log, { before: () => 'early' })),
      ],
    ] as const) {
      const log: string[] = []
      await build(log)({}, createContext()).catch(() => undefined)
      expect(
        log.filter((entry) => entry.endsWith('.cleanup')),
        label,
      ).toEqual(['b.cleanup', 'a.cleanup'])
    }
  })

  test('only middlewares the before phase reached are cleaned up', async () => {
    const log: string[] = []
    const handler = wrap(() => 'ok')
      .use(recorder('a', log))
      .use(recorder('b', log, { before: () => 'early' }))
      .use(recorder('c', log))
      .use({ cleanup: () => void log.push('d.cleanup') })
    await handler({}, createContext())
    expect(log.filter((entry) => entry.endsWith('.cleanup'))).toEqual(['b.cleanup', 'a.cleanup'])
  })

  test('a middleware whose before throws is reached: its cleanup runs', async () => {
    const log: string[] = []
    const handler = wrap(() => 'ok')
      .use(recorder('a', log))
      .use(
        recorder('b', log, {
          before: () => {
            throw new Error('b failed')
          },
        }),
      )
    await expect(handler({}, createContext())).rejects.toThrow('b failed')
    expect(log.filter((entry) => entry.endsWith('.cleanup'))).toEqual(['b.cleanup', 'a.cleanup'])
  })

  test('a failing cleanup never hides the outcome; it is reported through the lifecycle hook', async () => {
    const reported: [unknown, string][] = []
    const hooks = lifecycleHooks({ cleanupError: (error, middleware) => void reported.push([error, middleware]) })
    const failing = new Error('flush failed')
    const log: string[] = []
    const success = wrap(() => 'result', { hooks })
      .use(recorder('outer', log))
      .use({
        name: 'flusher',
        cleanup: () => Promise.reject(failing),
      })

    expect(await success({}, createContext())).toBe('result')
    expect(reported).toEqual([[failing, 'flusher']])
    expect(log).toContain('outer.cleanup')

    const erroring = wrap(
      () => {
        throw new Error('handler error')
      },
      { hooks },
    ).use({
      name: 'flusher',
      cleanup: () => {
        throw failing
      },
    })
    await expect(erroring({}, createContext())).rejects.toThrow('handler error')
    expect(reported).toHaveLength(2)
  })

  test('without a lifecycle hook a failing cleanup is written to console.error, naming the middleware', async () => {
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const handler = wrap(() => 'result').use({
      cleanup: () => {
        throw new Error('flush failed')
      },
    })
    expect(await handler({}, createContext())).toBe('result')
    expect(errorLog).toHaveBeenCalledTimes(1)
    expect(String(errorLog.mock.calls[0]?.[0])).toMatch(
      /^\[lamina\] cleanup of middleware "middleware #1" failed; outcome unchanged: Error: flush failed/,
    )
  })

  test('an async cleanup that rejects is reported the same way', async () => {
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const handler = wrap(() => 'result').use({
      name: 'flusher',
      cleanup: () => Promise.reject(new Error('flush failed')),
    })
    expect(await handler({}, createContext())).toBe('result')
    expect(String(errorLog.mock.calls[0]?.[0])).toMatch(
      /^\[lamina\] cleanup of middleware "flusher" failed; outcome unchanged: Error: flush failed/,
    )
  })

  test('the default report masks every registered secret: in the message, the stack and the cause', async () => {
    // Prepare
    const secret = 'postgres://app:s3cr3t@db'
    registerSecret(secret)
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const failure = new Error(`close failed: ${secret}`, { cause: new Error(`socket to ${secret} reset`) })
    failure.stack = `Error: close failed: ${secret}\n    at close (${secret}/pool.js:1:1)`
    const handler = wrap(() => 'result').use({
      name: 'db',
      cleanup: () => {
        throw failure
      },
    })

    // Act
    const result = await handler({}, createContext())

    // Assess
    forgetSecret(secret)
    const line = String(errorLog.mock.calls[0]?.[0])
    expect(result).toBe('result')
    expect(line).not.toContain('s3cr3t')
    expect(line).toContain('close failed: ****')
    expect(line).toContain('at close (****/pool.js:1:1)')
    expect(line).toContain('socket to **** reset')
  })

  test('a value that cannot be inspected is still reported, in one line', async () => {
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const handler = wrap(() => 'result').use({
      name: 'flusher',
      cleanup: () => {
        throw Object.defineProperty(new Error('x'), 'stack', {
          get: () => {
            throw new Error('hostile stack getter')
          },
        })
      },
    })
    expect(await handler({}, createContext())).toBe('result')
    // Node 20's util.inspect throws on the hostile stack getter (the fallback text is printed);
    // Node 22 and later inspect it without reading the stack.
    expect(errorLog).toHaveBeenCalledTimes(1)
    expect(String(errorLog.mock.calls[0]?.[0])).toMatch(
      /^\[lamina\] cleanup of middleware "flusher" failed; outcome unchanged: (\(uninspectable\)|\[Error: x\])$/,
    )
  })

  test('an inner async cleanup that resolves hands on to the outer ones', async () => {
    const log: string[] = []
    const handler = wrap(() => 'ok')
      .use(recorder('outer', log))
      .use({ name: 'inner', cleanup: async () => void log.push('inner.cleanup') })
    await handler({}, createContext())
    expect(log).toEqual(['outer.before', 'outer.after', 'inner.cleanup', 'outer.cleanup'])
  })

  test('async cleanup is awaited before the invocation resolves', async () => {
    let flushed = false
    const handler = wrap(() => 'ok').use({
      cleanup: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5))
        flushed = true
      },
    })
    await handler({}, createContext())
    expect(flushed).toBe(true)
  })
})
