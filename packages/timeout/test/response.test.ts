import { type Request, TimeoutError, wrap } from '@lamina/core'
import { createContext, events } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { after, never, track } from './track.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const gatewayTimeout = { statusCode: 504, body: JSON.stringify({ message: 'The request took too long.' }) }

/** Runs `handler` on a 1 s deadline until the guard (100 ms margin) has fired, and returns the outcome. */
async function runPastDeadline<T>(handler: (event: unknown, context: never) => Promise<T>, event: unknown = {}) {
  const outcome = track(handler(event, createContext({ timeoutMs: 1000 }) as never))
  await vi.advanceTimersByTimeAsync(900)
  await outcome.done
  return outcome
}

describe('timeoutGuard response', () => {
  test('a value answers the timeout instead of the TimeoutError, and cleanups still run', async () => {
    const cleanup = vi.fn()
    const handler = wrap(() => never())
      .use(timeoutGuard({ marginMs: 100, response: gatewayTimeout }))
      .use({ cleanup })

    const outcome = await runPastDeadline(handler)

    expect(outcome.error).toBeUndefined()
    expect(outcome.value).toEqual(gatewayTimeout)
    expect(cleanup).toHaveBeenCalledOnce()
  })

  test('a function is called with the request, whose error is the TimeoutError', async () => {
    const seen: { error: unknown; requestId: unknown; aborted: boolean }[] = []
    const respond = (request: Request) => {
      seen.push({
        error: request.error,
        requestId: request.event.requestContext.requestId,
        aborted: request.signal.aborted,
      })
      return { statusCode: 504, body: `timed out: ${request.event.requestContext.requestId}` }
    }
    const handler = wrap(() => never()).use(timeoutGuard({ marginMs: 100, response: respond }))

    const outcome = await runPastDeadline(handler, events.apiGatewayV2({ requestId: 'req-42' }))

    expect(outcome.value).toEqual({ statusCode: 504, body: 'timed out: req-42' })
    expect(seen).toHaveLength(1)
    expect(seen[0]?.error).toBeInstanceOf(TimeoutError)
    expect(seen[0]).toMatchObject({ requestId: 'req-42', aborted: true })
  })

  test('an async function works too', async () => {
    const handler = wrap(() => never()).use(
      timeoutGuard({ marginMs: 100, response: async () => ({ statusCode: 504, body: 'async answer' }) }),
    )

    const outcome = await runPastDeadline(handler)

    expect(outcome.value).toEqual({ statusCode: 504, body: 'async answer' })
  })

  test('a response function that throws fails the invocation, with the TimeoutError as cause', async () => {
    const handler = wrap(() => never()).use(
      timeoutGuard({
        marginMs: 100,
        response: () => {
          throw new Error('could not build the timeout answer')
        },
      }),
    )

    const outcome = await runPastDeadline(handler)

    expect((outcome.error as Error).message).toBe('could not build the timeout answer')
    expect((outcome.error as Error).cause).toBeInstanceOf(TimeoutError)
  })

  test('other errors are left alone: the guard answers timeouts only', async () => {
    const handler = wrap(() => after(10, undefined).then(() => Promise.reject(new Error('not a timeout')))).use(
      timeoutGuard({ marginMs: 100, response: gatewayTimeout }),
    )

    const outcome = await runPastDeadline(handler)

    expect((outcome.error as Error).message).toBe('not a timeout')
  })

  test('without a response the TimeoutError is rethrown to the caller', async () => {
    const handler = wrap(() => never()).use(timeoutGuard({ marginMs: 100 }))

    const outcome = await runPastDeadline(handler)

    expect(outcome.error).toBeInstanceOf(TimeoutError)
  })

  test('the configured response wins over one an error mapper set (Middy style) for the same timeout', async () => {
    const handler = wrap(() => never())
      .use(timeoutGuard({ marginMs: 100, response: gatewayTimeout }))
      .use({
        name: 'mapper-that-sets',
        onError: (request) => {
          request.response = { statusCode: 504, body: '{"message":"Gateway Timeout"}' }
        },
      })

    const outcome = await runPastDeadline(handler)

    expect(outcome.value).toEqual(gatewayTimeout)
  })

  test('a response an error mapper returned ends the onError chain first, so it stands (core rule)', async () => {
    // onError runs in reverse, so the guard (first in the chain) is asked last; a returned value
    // skips the remaining onError hooks. Configure the mapper instead, or leave `response` unset.
    const mapperAnswer = { statusCode: 504, body: '{"message":"from the mapper"}' }
    const handler = wrap(() => never())
      .use(timeoutGuard({ marginMs: 100, response: gatewayTimeout }))
      .use({ name: 'mapper-that-returns', onError: () => mapperAnswer })

    const outcome = await runPastDeadline(handler)

    expect(outcome.value).toEqual(mapperAnswer)
  })
})
