import { retry } from '@lamina/retry'
import { describe, expect, it } from 'vitest'

const ok = () => 'ok'

describe('retry() options', () => {
  it.each([
    ['not an object', 3, 'takes an options object'],
    ['an unknown option', { retries: 3 }, 'there is no option "retries"'],
    ['zero attempts', { attempts: 0 }, 'attempts must be a whole number, 1 or more; got 0'],
    ['fractional attempts', { attempts: 2.5 }, 'got 2.5'],
    ['a negative baseMs', { baseMs: -1 }, 'baseMs must be a number of milliseconds, 0 or more'],
    ['an infinite maxMs', { maxMs: Number.POSITIVE_INFINITY }, 'maxMs must be a number of milliseconds'],
    ['maxMs under baseMs', { baseMs: 500, maxMs: 100 }, 'maxMs (100) must not be less than baseMs (500)'],
    ['a signal that is not one', { signal: 'stop' }, 'signal must be an AbortSignal'],
    ['a context without a deadline', { context: {} }, 'context must be the Lambda context'],
    [
      'a zero attemptTimeoutMs',
      { attemptTimeoutMs: 0 },
      'attemptTimeoutMs must be a number of milliseconds, 1 or more',
    ],
    ['an isRetryable that is not a function', { isRetryable: true }, 'isRetryable must be a function'],
  ])('refuses %s with a message naming the fix', async (_name, options, message) => {
    // Act
    const outcome = retry(ok, options as never)

    // Assess
    await expect(outcome).rejects.toThrow(TypeError)
    await expect(outcome).rejects.toThrow(message)
  })

  it('takes a large baseMs without a maxMs (the default cap follows it)', async () => {
    await expect(retry(ok, { baseMs: 5000 })).resolves.toBe('ok')
  })
})
