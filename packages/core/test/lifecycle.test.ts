import {
  forgetSecret,
  type LifecycleHooks,
  lifecycleHooks,
  type PreparedHooks,
  registerSecret,
  wrap,
} from '@lamina/core'
import { createContext } from '@lamina/testing'
import { describe, expect, test, vi } from 'vitest'

function rawTracingHooks(log: string[]): LifecycleHooks {
  return {
    invocationStart: () => void log.push('start'),
    invocationEnd: () => void log.push('end'),
    hookStart: (phase, name) => void log.push(`${name}.${phase}:start`),
    hookEnd: (phase, name) => void log.push(`${name}.${phase}:end`),
    handlerStart: () => void log.push('handler:start'),
    handlerEnd: () => void log.push('handler:end'),
  }
}

const tracingHooks = (log: string[]) => lifecycleHooks(rawTracingHooks(log))

describe('lifecycle hooks', () => {
  test('report every step in order, for sync and async hooks', async () => {
    const log: string[] = []
    const handler = wrap(async () => 'ok', { hooks: tracingHooks(log) })
      .use({ name: 'sync', before: () => undefined, cleanup: () => undefined })
      .use({ name: 'async', after: async () => undefined })
    await handler({}, createContext())
    expect(log).toEqual([
      'start',
      'sync.before:start',
      'sync.before:end',
      'handler:start',
      'handler:end',
      'async.after:start',
      'async.after:end',
      'sync.cleanup:start',
      'sync.cleanup:end',
      'end',
    ])
  })

  test('report the error path and end even when the invocation fails; unnamed middlewares get a position', async () => {
    const log: string[] = []
    const handler = wrap(
      () => {
        throw new Error('x')
      },
      { hooks: tracingHooks(log) },
    ).use({ onError: async () => undefined })
    await expect(handler({}, createContext())).rejects.toThrow('x')
    expect(log).toEqual(['start', 'handler:start', 'middleware #1.onError:start', 'middleware #1.onError:end', 'end'])
  })

  test('hooks that succeed, sync or async, report nothing', async () => {
    const reported: unknown[] = []
    const hooks = { ...rawTracingHooks([]), invocationEnd: async () => undefined }
    const handler = wrap(async () => 'ok', {
      hooks: lifecycleHooks({ ...hooks, cleanupError: (error) => void reported.push(error) }),
    }).use({ name: 'm', before: () => undefined, cleanup: async () => undefined })
    expect(await handler({}, createContext())).toBe('ok')
    expect(reported).toEqual([])
  })

  test('an empty hooks object works like none', async () => {
    const handler = wrap(() => 'ok', { hooks: lifecycleHooks({}) }).use({
      before: () => undefined,
      onError: () => undefined,
    })
    expect(await handler({}, createContext())).toBe('ok')
  })
})

describe('a lifecycle hook that fails never changes the outcome', () => {
  const hookKeys = ['invocationStart', 'invocationEnd', 'hookStart', 'hookEnd', 'handlerStart', 'handlerEnd'] as const
  const failures = [
    [
      'throws',
      (failure: Error) => () => {
        throw failure
      },
    ],
    ['rejects', (failure: Error) => () => Promise.reject(failure)],
  ] as const

  for (const key of hookKeys) {
    for (const [how, failingHook] of failures) {
      test(`${key} that ${how}: the result and the error stand; the failure goes to cleanupError`, async () => {
        // Prepare
        const failure = new Error(`${key} failed`)
        const reported: [unknown, string, unknown][] = []
        let allReported: () => void = () => undefined
        const bothReported = new Promise<void>((resolve) => {
          allReported = resolve
        })
        const hooks = lifecycleHooks({
          [key]: failingHook(failure),
          cleanupError: (error, name, request) => {
            reported.push([error, name, request.event])
            if (reported.length === 2) allReported()
          },
        })
        const ok = wrap(async () => 'result', { hooks }).use({ name: 'm', after: () => undefined })
        const original = new Error('handler failed')
        const failing = wrap(
          () => {
            throw original
          },
          { hooks },
        ).use({ name: 'm', before: () => undefined, onError: () => undefined })

        // Act
        const result = await ok({ id: 'first' }, createContext())
        const error = await failing({}, createContext()).catch((caught: unknown) => caught)
        // handlerEnd does not run when the handler fails: only one report for it.
        if (key === 'handlerEnd') allReported()
        await bothReported

        // Assess
        expect(result).toBe('result')
        expect(error).toBe(original)
        // The request the failing hook was given comes with the report.
        expect(reported[0]).toEqual([failure, `hooks.${key}`, { id: 'first' }])
      })
    }
  }

  test('without cleanupError, a failing lifecycle hook is written to console.error, secrets masked', async () => {
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    registerSecret('hook-secret-canary')
    try {
      const handler = wrap(() => 'ok', {
        hooks: lifecycleHooks({
          invocationEnd: () => {
            throw new Error('could not send hook-secret-canary')
          },
        }),
      })
      expect(await handler({}, createContext())).toBe('ok')
      expect(errorLog).toHaveBeenCalledTimes(1)
      const line = String(errorLog.mock.calls[0]?.[0])
      expect(line).toContain('[lamina] lifecycle hook invocationEnd failed')
      expect(line).toContain('could not send ****')
      expect(line).not.toContain('hook-secret-canary')
    } finally {
      forgetSecret('hook-secret-canary')
      errorLog.mockRestore()
    }
  })

  test('a cleanupError that throws: both its failure and what it was reporting reach console.error', async () => {
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const handler = wrap(() => 'ok', {
      hooks: lifecycleHooks({
        cleanupError: () => {
          throw new Error('reporter down')
        },
      }),
    }).use({
      name: 'flusher',
      cleanup: () => {
        throw new Error('flush failed')
      },
    })
    expect(await handler({}, createContext())).toBe('ok')
    const lines = errorLog.mock.calls.map((call) => String(call[0]))
    expect(lines).toEqual([
      expect.stringMatching(/middleware "flusher" failed; .*flush failed/s),
      expect.stringMatching(/lifecycle hook cleanupError failed; .*reporter down/s),
    ])
    errorLog.mockRestore()
  })
})

test('hookEnd fires only after an async hook has settled', async () => {
  const log: string[] = []
  const handler = wrap(() => 'ok', {
    hooks: lifecycleHooks({ hookEnd: (phase, name) => void log.push(`${name}.${phase}:end`) }),
  }).use({
    name: 'slow',
    before: async () => {
      await Promise.resolve()
      log.push('slow.before:settled')
    },
  })
  await handler({}, createContext())
  expect(log).toEqual(['slow.before:settled', 'slow.before:end'])
})

describe('process-wide lifecycle hooks', () => {
  const key = Symbol.for('lamina.hooks')
  const global = globalThis as { [key]?: PreparedHooks | LifecycleHooks }

  test('a chain created while they are set reports to them; a chain created after they are removed does not', async () => {
    const log: string[] = []
    global[key] = tracingHooks(log)
    const observed = wrap(() => 'ok').use({ name: 'm', before: () => undefined })
    delete global[key]
    const unobserved = wrap(() => 'ok').use({ name: 'n', before: () => undefined })
    await observed({}, createContext())
    await unobserved({}, createContext())
    expect(log).toEqual(['start', 'm.before:start', 'm.before:end', 'handler:start', 'handler:end', 'end'])
  })

  test("a chain's own hooks option wins over the process-wide hooks", async () => {
    const processLog: string[] = []
    const chainLog: string[] = []
    global[key] = tracingHooks(processLog)
    try {
      const handler = wrap(() => 'ok', { hooks: tracingHooks(chainLog) })
      await handler({}, createContext())
    } finally {
      delete global[key]
    }
    expect(processLog).toEqual([])
    expect(chainLog).toEqual(['start', 'handler:start', 'handler:end', 'end'])
  })
})

describe('only prepared hooks are taken', () => {
  const key = Symbol.for('lamina.hooks')
  const global = globalThis as { [key]?: unknown }
  const fix = /^wrap\(\) options must be an object; hooks from lifecycleHooks\(\) of '@lamina\/core'\.$/

  test('a raw hooks object given to wrap() is refused with a TypeError naming lifecycleHooks()', () => {
    const raw = rawTracingHooks([]) as never
    expect(() => wrap(() => 'ok', { hooks: raw })).toThrow(TypeError)
    expect(() => wrap(() => 'ok', { hooks: raw })).toThrow(fix)
    expect(() => wrap<unknown>({ hooks: raw })).toThrow(fix)
  })

  test('raw process-wide hooks are refused the same way, when a chain is created', () => {
    global[key] = rawTracingHooks([])
    try {
      expect(() => wrap(() => 'ok')).toThrow(fix)
    } finally {
      delete global[key]
    }
  })

  test('hooks prepared elsewhere (another copy of core) are plain methods: any object of that shape works', async () => {
    // Prepare: what another copy's lifecycleHooks() returns, written out by hand.
    const log: string[] = []
    const foreign = {
      invocationStart: () => void log.push('start'),
      invocationEnd: () => void log.push('end'),
      handlerStart: () => void log.push('handler:start'),
      handlerEnd: () => void log.push('handler:end'),
      observe: (phase: string, name: string, hook: (request: unknown) => unknown) => (request: unknown) => {
        log.push(`${name}.${phase}`)
        return hook(request)
      },
    }

    // Act
    const handler = wrap(() => 'ok', { hooks: foreign as never }).use({ name: 'm', before: () => undefined })
    const answer = await handler({}, createContext())

    // Assess
    expect(answer).toBe('ok')
    expect(log).toEqual(['start', 'm.before', 'handler:start', 'handler:end', 'end'])
  })

  test('without hookStart and hookEnd, a middleware hook is not wrapped at all', () => {
    const hook = () => undefined
    expect(lifecycleHooks({ invocationStart: () => undefined }).observe('before', 'm', hook)).toBe(hook)
    expect(lifecycleHooks({ hookEnd: () => undefined }).observe('before', 'm', hook)).not.toBe(hook)
  })

  test('every method is there, so the engine calls them bare; cleanupError only when given', () => {
    const prepared = lifecycleHooks({})
    for (const method of ['invocationStart', 'invocationEnd', 'handlerStart', 'handlerEnd', 'observe'] as const) {
      expect(prepared[method]).toBeTypeOf('function')
    }
    expect(prepared.cleanupError).toBeUndefined()
    expect(lifecycleHooks({ cleanupError: () => undefined }).cleanupError).toBeTypeOf('function')
  })

  test.each([
    [{ invocationStart: 'nope' }, /lifecycleHooks\(\): invocationStart is string; pass a function or leave it out/],
    [{ cleanupError: null }, /lifecycleHooks\(\): cleanupError is object; pass a function or leave it out/],
    [null, /lifecycleHooks\(\) takes an object of hook functions/],
    ['hooks', /lifecycleHooks\(\) takes an object of hook functions/],
  ])('lifecycleHooks(%o) is refused at once with a TypeError saying what to pass', (hooks, message) => {
    expect(() => lifecycleHooks(hooks as never)).toThrow(TypeError)
    expect(() => lifecycleHooks(hooks as never)).toThrow(message)
  })
})
