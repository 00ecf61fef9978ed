import { batch } from '@lamina/batch'
import { createContext, events } from '@lamina/testing'
import { describe, expect, it } from 'vitest'
import { collectingLogger, deferred, failedIds } from './helpers.js'

describe('overlapping invocations of one batch() handler (Lambda Managed Instances)', () => {
  it('report each batch its own failures, while the other is still running', async () => {
    // Prepare: invocation A holds its records until B has answered
    const held = deferred()
    const handler = batch({
      logger: collectingLogger(),
      record: async (payload: unknown) => {
        const { batch: name, fail } = payload as { batch: string; fail: boolean }
        if (name === 'a') await held.promise
        if (fail) throw new Error(`${name} failed`)
      },
    })
    const a = events.sqs([
      { batch: 'a', fail: true },
      { batch: 'a', fail: false },
    ])
    const b = events.sqs([
      { batch: 'b', fail: false },
      { batch: 'b', fail: true },
    ])

    // Act
    const first = handler(a, createContext({ timeoutMs: 60_000 }))
    const second = await handler(b, createContext({ timeoutMs: 60_000 }))
    held.resolve()
    const firstAnswer = await first

    // Assess
    expect(failedIds(second)).toEqual([b.Records[1]?.messageId])
    expect(failedIds(firstAnswer)).toEqual([a.Records[0]?.messageId])
  })
})
