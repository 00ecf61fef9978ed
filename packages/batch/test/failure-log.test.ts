import { batch } from '@lamina/batch'
import { forgetSecret, registerSecret } from '@lamina/core'
import { createContext, events, hostileValues } from '@lamina/testing'
import * as v from 'valibot'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { collectingLogger } from './helpers.js'

const context = () => createContext({ timeoutMs: 60_000 })
const secret = 'sk_live_9f8e7d6c5b4a'

afterEach(() => {
  forgetSecret(secret)
  vi.restoreAllMocks()
})

/** What batch() wrote through console.warn and console.error, as text. */
function spyOnConsole() {
  const calls: unknown[][] = []
  vi.spyOn(console, 'warn').mockImplementation((...args) => void calls.push(args))
  vi.spyOn(console, 'error').mockImplementation((...args) => void calls.push(args))
  return {
    text: () => calls.map((args) => args.join(' ')).join('\n'),
    lines: () => calls.map((args) => JSON.parse(String(args[0]))),
  }
}

describe('how batch() logs failed records', () => {
  it('writes JSON lines to the console when no logger is given or found on the context', async () => {
    // Prepare
    const output = spyOnConsole()
    const handler = batch({
      throwOnFullBatchFailure: false,
      record: () => {
        throw new TypeError('broken record')
      },
    })
    const event = events.sqs([{}])

    // Act
    await handler(event, context())

    // Assess
    expect(output.lines()).toEqual([
      expect.objectContaining({
        level: 'ERROR',
        message: 'Batch record failed',
        itemIdentifier: event.Records[0]?.messageId,
        recordIndex: 0,
        error: expect.objectContaining({ name: 'TypeError', message: 'broken record' }),
      }),
    ])
  })

  it('uses the logger logging() put on the context', async () => {
    // Prepare
    const logger = collectingLogger()
    const handler = batch({ throwOnFullBatchFailure: false, record: () => Promise.reject(new Error('no')) })

    // Act
    await handler(events.sqs([{}]), { ...context(), logger } as never)

    // Assess
    expect(logger.lines.map((line) => line.message)).toEqual(['Batch record failed'])
  })

  it('never writes a registered secret or the value a schema quoted back', async () => {
    // Prepare
    registerSecret(secret)
    const output = spyOnConsole()
    const handler = batch({
      schema: v.object({ email: v.pipe(v.string(), v.email()) }),
      throwOnFullBatchFailure: false,
      record: () => {
        throw new Error(`upstream rejected key ${secret}`)
      },
    })

    // Act
    await handler(events.sqs([{ email: 'jane.doe-at-example.org' }, { email: 'ok@example.org' }]), context())

    // Assess
    const text = output.text()
    expect(text).toContain('Batch record is invalid')
    expect(output.lines()[0].issues).toEqual([{ path: ['email'], message: 'Invalid email: Received "[value]"' }])
    expect(text).not.toContain('jane.doe-at-example.org')
    expect(text).toContain('upstream rejected key')
    expect(text).not.toContain(secret)
  })

  it('reports any thrown value as a failed record without failing the batch', async () => {
    // Prepare
    const thrown = hostileValues()
    const logger = collectingLogger()
    const handler = batch({
      logger,
      record: (payload: unknown) => {
        if ((payload as { i: number }).i < thrown.length) throw thrown[(payload as { i: number }).i]?.value
      },
    })
    const event = events.sqs([...thrown.map((_, i) => ({ i })), { i: thrown.length }])

    // Act
    const response = await handler(event, context())

    // Assess
    expect(response.batchItemFailures).toHaveLength(thrown.length)
    expect(logger.lines).toHaveLength(thrown.length)
    for (const line of logger.lines) expect(typeof line.fields.error.message).toBe('string')
  })
})
