import { type LifecycleHooks, wrap } from '@lamina/core'
import { createContext } from '@lamina/testing'
import { describe, expect, test } from 'vitest'

function tracingHooks(log: string[]): LifecycleHooks {
  return {
    invocationStart: () => void log.push('start'),
    invocationEnd: () => void log.push('end'),
    hookStart: (phase, name) => void log.push(`${name}.${phase}:start`),
    hookEnd: (phase, name) => void log.push(`${name}.${phase}:end`),
    handlerStart: () => void log.push('handler:start'),
    handlerEnd: () => void log.push('handler:end'),
  }
}

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

  test('an empty hooks object works like none', async () => {
    const handler = wrap(() => 'ok', { hooks: {} }).use({ before: () => undefined, onError: () => undefined })
    expect(await handler({}, createContext())).toBe('ok')
  })
})
