import { TimeoutError, wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { createContext, events, httpEvents } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { closedWithin, type SlowServer, startSlowServer } from '../support/slow-server.js'

let server: SlowServer
beforeAll(async () => {
  server = await startSlowServer()
})
afterAll(async () => {
  await server.stop()
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const hangingHandler = async (
  event: { path?: string; rawPath?: string },
  _context: unknown,
  options: { signal: AbortSignal },
) => {
  fetch(`${server.url}/slow?from=${encodeURIComponent(event.rawPath ?? event.path ?? '')}`, {
    signal: options.signal,
  }).catch(() => undefined)
  return new Promise<never>(() => undefined)
}

describe('timeoutGuard with errorMapper (real time)', () => {
  test('every HTTP source gets a 504 that leaks nothing, cleanups ran, and the slow calls were aborted', async () => {
    // Prepare: the four HTTP sources at once, through one function, as concurrent invocations.
    const cleanedUp: string[] = []
    const handler = wrap(hangingHandler)
      .use(timeoutGuard({ marginMs: 500 }))
      .use(errorMapper())
      .use({ name: 'flush', cleanup: (request) => void cleanedUp.push(request.context.awsRequestId) })
    const cases = Object.entries(httpEvents).map(([source, build]) => ({
      source,
      event: build({ method: 'GET', path: `/orders/${source}` }),
      context: createContext({ timeoutMs: 2000, awsRequestId: `req-${source}` }),
    }))

    // Act
    const responses = await Promise.all(cases.map(({ event, context }) => handler(event as never, context)))
    const seen = server.requests.filter((request) => request.url.startsWith('/slow?from=%2Forders%2F'))
    const closed = await Promise.all(seen.map((request) => closedWithin(request, 5000)))

    // Assess
    responses.forEach((response, index) => {
      const { source } = cases[index] as (typeof cases)[number]
      expect(response, source).toMatchObject({ statusCode: 504, headers: { 'content-type': 'application/json' } })
      const body = JSON.parse((response as { body: string }).body)
      expect(body, source).toEqual({ message: 'Gateway Timeout', requestId: `req-${source}` })
      expect((response as { body: string }).body, source).not.toMatch(/deadline|function timeout|stack/i)
    })
    expect(responses[cases.findIndex(({ source }) => source === 'alb')]).toMatchObject({
      statusDescription: '504 Gateway Timeout',
    })
    expect(cleanedUp.sort()).toEqual(cases.map(({ source }) => `req-${source}`).sort())
    expect(seen).toHaveLength(cases.length)
    expect(closed).toEqual(cases.map(() => true))
  })
})

describe('timeoutGuard with errorMapper: who answers the timeout', () => {
  const configured = { statusCode: 504, headers: { 'retry-after': '1' }, body: '{"message":"Try again shortly."}' }

  /** Runs one HTTP API invocation on fake time until the guard (1 s deadline, 100 ms margin) fired. */
  async function timedOut(handler: (event: never, context: never) => Promise<unknown>) {
    vi.useFakeTimers()
    const outcome = handler(
      events.apiGatewayV2({ method: 'GET', path: '/x' }) as never,
      createContext({ timeoutMs: 1000 }) as never,
    )
      .then((value) => ({ value, error: undefined as unknown }))
      .catch((error: unknown) => ({ value: undefined, error }))
    await vi.advanceTimersByTimeAsync(900)
    return outcome
  }

  test('guard first, errorMapper second (the documented order): a configured response wins', async () => {
    const handler = wrap(() => new Promise(() => undefined))
      .use(timeoutGuard({ marginMs: 100, response: configured }))
      .use(errorMapper())

    expect((await timedOut(handler)).value).toEqual(configured)
  })

  test('errorMapper first, guard second (warned about at init): a configured response still wins', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const handler = wrap(() => new Promise(() => undefined))
      .use(errorMapper())
      .use(timeoutGuard({ marginMs: 100, response: configured }))

    expect(warn).toHaveBeenCalledTimes(1)
    expect((await timedOut(handler)).value).toEqual(configured)
  })

  test('no configured response: the mapper answers 504 in either order', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const mapperFirst = wrap(() => new Promise(() => undefined))
      .use(errorMapper())
      .use(timeoutGuard({ marginMs: 100 }))
    const guardFirst = wrap(() => new Promise(() => undefined))
      .use(timeoutGuard({ marginMs: 100 }))
      .use(errorMapper())

    expect((await timedOut(mapperFirst)).value).toMatchObject({ statusCode: 504 })
    expect((await timedOut(guardFirst)).value).toMatchObject({ statusCode: 504 })
  })

  test('a source that is not HTTP gets the TimeoutError rethrown, so Lambda retries', async () => {
    vi.useFakeTimers()
    const handler = wrap(() => new Promise(() => undefined))
      .use(timeoutGuard({ marginMs: 100 }))
      .use(errorMapper())

    const outcome = handler(events.sqs(['{"id":1}']) as never, createContext({ timeoutMs: 1000 })).catch(
      (error: unknown) => error,
    )
    await vi.advanceTimersByTimeAsync(900)

    expect(await outcome).toBeInstanceOf(TimeoutError)
  })
})
