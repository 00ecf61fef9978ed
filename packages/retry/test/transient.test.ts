import { TimeoutError } from '@lamina/core'
import { isTransientError } from '@lamina/retry'
import { hostileValues } from '@lamina/testing'
import { describe, expect, it } from 'vitest'

const named = (name: string, extra: object = {}) => Object.assign(new Error(name), { name, ...extra })

describe('isTransientError()', () => {
  it.each([
    ['AWS throttling by name', named('ThrottlingException')],
    ['DynamoDB throughput', named('ProvisionedThroughputExceededException')],
    ['S3 SlowDown', named('SlowDown')],
    ['a modelled retryable error', named('SomethingNew', { $retryable: { throttling: false } })],
    ['a 503 answer', named('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } })],
    ['a 429 answer', named('Whatever', { $metadata: { httpStatusCode: 429 } })],
    ['an HTTP error with statusCode 502', Object.assign(new Error('bad gateway'), { statusCode: 502 })],
    ['a fetch Response-like status 500', { status: 500 }],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a timed-out connection', Object.assign(new Error('connect'), { code: 'ETIMEDOUT' })],
    ['a broken pipe', Object.assign(new Error('write'), { code: 'EPIPE' })],
    [
      "fetch's TypeError over an undici socket error",
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      }),
    ],
    ["the SDK's socket timeout", named('TimeoutError')],
    ['AbortSignal.timeout() firing', new DOMException('The operation timed out.', 'TimeoutError')],
    ['a RequestTimeout', named('RequestTimeout')],
  ])('is true for %s', (_name, error) => {
    expect(isTransientError(error)).toBe(true)
  })

  it.each([
    ['a validation error (400)', named('ValidationException', { $metadata: { httpStatusCode: 400 } })],
    ['access denied (403)', named('AccessDeniedException', { $metadata: { httpStatusCode: 403 } })],
    ['a conditional check', named('ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } })],
    ['a not-found', named('ResourceNotFoundException')],
    ["the invocation's own TimeoutError (504), even as a cause", new Error('wrapped', { cause: new TimeoutError() })],
    ['a plain TypeError', new TypeError('x is not a function')],
    ['an abort by the caller', new DOMException('This operation was aborted', 'AbortError')],
    ['null', null],
    ['a string', 'ECONNRESET'],
    ['a 500 as text', { status: '500' }],
  ])('is false for %s', (_name, error) => {
    expect(isTransientError(error)).toBe(false)
  })

  it('never throws, whatever was thrown', () => {
    for (const { value } of hostileValues()) expect(() => isTransientError(value)).not.toThrow()
  })

  it('stops following causes after a few levels (a cause loop ends)', () => {
    // Prepare
    const loop = new Error('a')
    ;(loop as { cause?: unknown }).cause = loop
    let deep: unknown = named('ThrottlingException')
    for (let i = 0; i < 10; i++) deep = new Error('wrap', { cause: deep })

    // Act and Assess
    expect(isTransientError(loop)).toBe(false)
    expect(isTransientError(deep)).toBe(false)
  })
})
