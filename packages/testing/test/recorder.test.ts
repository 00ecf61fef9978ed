import { wrap } from '@lamina/core'
import { createContext, recorder } from '@lamina/testing'
import { describe, expect, it } from 'vitest'

describe('recorder', () => {
  it('records every hook it runs as name.phase, in the order the engine runs them', async () => {
    // Prepare
    const log: string[] = []
    const handler = wrap(async () => 'ok')
      .use(recorder('outer', log))
      .use(recorder('inner', log))

    // Act
    await handler({}, createContext())

    // Assess
    expect(log).toEqual([
      'outer.before',
      'inner.before',
      'inner.after',
      'outer.after',
      'inner.cleanup',
      'outer.cleanup',
    ])
  })

  it('runs the given behaviour after recording and returns what it returns', async () => {
    // Prepare
    const log: string[] = []
    const handler = wrap(async () => 'handler').use(recorder('cache', log, { before: () => 'cached' }))

    // Act
    const response = await handler({}, createContext())

    // Assess
    expect(response).toBe('cached')
    expect(log).toEqual(['cache.before', 'cache.cleanup'])
  })

  it('has only the phases asked for, and with outcome records the error’s name or ok', async () => {
    // Prepare
    const log: string[] = []
    const failing = wrap(async () => {
      throw new RangeError('x')
    }).use(recorder('watch', log, {}, { outcome: true }))
    const thrownString = wrap(async () => {
      throw 'plain'
    }).use(recorder('watch', log, {}, { outcome: true, phases: ['onError'] }))
    const passing = wrap(async () => 'ok').use(recorder('watch', log, {}, { outcome: true }))

    // Act
    await expect(failing({}, createContext())).rejects.toThrow('x')
    await expect(thrownString({}, createContext())).rejects.toBe('plain')
    await passing({}, createContext())

    // Assess
    expect(log).toEqual([
      'watch.before',
      'watch.onError:RangeError',
      'watch.cleanup:RangeError',
      'watch.onError:plain',
      'watch.before',
      'watch.after',
      'watch.cleanup:ok',
    ])
  })
})
