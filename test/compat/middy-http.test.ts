// Middy's HTTP middlewares, unchanged, give the same answers under wrap() as under @middy/core:
// success, early return (CORS preflight, warmup), errors in each phase, and malformed input.
import { events, httpEvents } from '@lamina/testing'
import httpCors from '@middy/http-cors'
import httpErrorHandler from '@middy/http-error-handler'
import httpHeaderNormalizer from '@middy/http-header-normalizer'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import { createError } from '@middy/util'
import warmup from '@middy/warmup'
import { describe, expect, it } from 'vitest'
import { type CompatMiddleware, type DifferentialCase, recorder, runBoth } from './differential.js'

/** The stack a typical JSON API deploys, with the error handler's log captured per engine. */
const httpStack = (trace: string[]): CompatMiddleware[] => [
  httpHeaderNormalizer(),
  httpCors({ origins: ['https://app.example', 'https://*.partner.example'], credentials: true }),
  httpJsonBodyParser(),
  httpErrorHandler({ logger: (error: unknown) => trace.push(`logged ${(error as Error)?.message}`) }),
]

const echo = (trace: string[]) => (event: unknown) => {
  trace.push('handler')
  const { body } = event as { body?: unknown }
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

const fixed =
  <T>(event: T) =>
  () =>
    structuredClone(event)

const sources = Object.entries(httpEvents)

describe('Middy HTTP middlewares under wrap() and @middy/core', () => {
  it.each(sources)('answer a JSON POST (%s) with the same response', async (_, factory) => {
    // Prepare
    const event = factory({ body: { order: 7 }, headers: { Origin: 'https://app.example' } })
    // Act
    const { middy, lamina } = await runBoth({ middlewares: httpStack, handler: echo, event: fixed(event) })
    // Assess
    expect(middy.outcome).toMatchObject({ resolved: { statusCode: 200, body: '{"order":7}' } })
    expect(lamina).toEqual(middy)
  })

  it.each(sources)('reject a malformed JSON body (%s) with the same 422 and CORS headers', async (_, factory) => {
    const event = factory({
      body: '{"order":',
      headers: { 'content-type': 'application/json', origin: 'https://x.partner.example' },
    })

    const { middy, lamina } = await runBoth({ middlewares: httpStack, handler: echo, event: fixed(event) })

    expect(middy.outcome).toMatchObject({ resolved: { statusCode: 422 } })
    expect(middy.trace).not.toContain('handler')
    expect(lamina).toEqual(middy)
  })

  it('reject an unsupported content type with the same 415', async () => {
    const event = events.apiGatewayV2({ body: 'a=1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } })

    const { middy, lamina } = await runBoth({ middlewares: httpStack, handler: echo, event: fixed(event) })

    expect(middy.outcome).toMatchObject({ resolved: { statusCode: 415, body: 'Unsupported Media Type' } })
    expect(lamina).toEqual(middy)
  })

  it('answer a CORS preflight early, before the body parser and the handler, identically', async () => {
    const preflight = (trace: string[]) => [
      recorder('outer', trace),
      httpCors({ origin: 'https://app.example', methods: 'GET,POST', disableBeforePreflightResponse: false }),
      httpJsonBodyParser(),
    ]
    const event = events.apiGatewayV1({ method: 'OPTIONS', headers: { Origin: 'https://app.example' } })

    const { middy, lamina } = await runBoth({ middlewares: preflight, handler: echo, event: fixed(event) })

    expect(middy.outcome).toMatchObject({ resolved: { statusCode: 204 } })
    // Early return skips the handler and every after hook, including the outer one.
    expect(middy.trace).toEqual(['outer.before'])
    expect(lamina).toEqual(middy)
  })

  it('answer a warmup ping early with the same value and skip the afters', async () => {
    const stack = (trace: string[]) => [recorder('outer', trace), warmup(), recorder('inner', trace)]

    const { middy, lamina } = await runBoth({
      middlewares: stack,
      handler: echo,
      event: fixed({ source: 'serverless-plugin-warmup' }),
    })

    expect(middy.outcome).toEqual({ resolved: 'warmup' })
    expect(middy.trace).toEqual(['outer.before'])
    expect(lamina).toEqual(middy)
  })

  it('let a non-warmup event through warmup to the handler identically', async () => {
    const event = events.eventBridge('OrderPlaced', { id: 1 }, 'shop')

    const { middy, lamina } = await runBoth({
      middlewares: () => [warmup()],
      handler: () => (received: unknown) => ({ seen: received }),
      event: fixed(event),
    })

    expect(middy.outcome).toEqual({ resolved: { seen: event } })
    expect(lamina).toEqual(middy)
  })
})

describe('errors in each phase, under wrap() and @middy/core', () => {
  const event = events.apiGatewayV2({ body: { id: 1 }, headers: { origin: 'https://app.example' } })

  const throwingHandler = (error: unknown) => (trace: string[]) => () => {
    trace.push('handler')
    throw error
  }

  it('map an HTTP error from the handler to the same response', async () => {
    const { middy, lamina } = await runBoth({
      middlewares: httpStack,
      handler: throwingHandler(createError(404, 'No such order')),
      event: fixed(event),
    })

    expect(middy.outcome).toMatchObject({ resolved: { statusCode: 404, body: 'No such order' } })
    expect(lamina).toEqual(middy)
  })

  it('turn an internal error from the handler into the same bare 500', async () => {
    const { middy, lamina } = await runBoth({
      middlewares: httpStack,
      handler: throwingHandler(new Error('connection refused to 10.0.0.7')),
      event: fixed(event),
    })

    expect(middy.outcome).toMatchObject({ resolved: { statusCode: 500 } })
    expect(JSON.stringify(middy.outcome)).not.toContain('10.0.0.7')
    expect(lamina).toEqual(middy)
  })

  it('rethrow an unhandled handler error unchanged after running every onError in reverse', async () => {
    const stack = (trace: string[]) => [recorder('a', trace), recorder('b', trace)]
    const failure = new TypeError('cannot read id')

    const { middy, lamina } = await runBoth({
      middlewares: stack,
      handler: throwingHandler(failure),
      event: fixed(event),
    })

    expect(middy.outcome).toMatchObject({ rejected: { name: 'TypeError', message: 'cannot read id' } })
    expect(middy.trace).toEqual(['a.before', 'b.before', 'handler', 'b.onError', 'a.onError'])
    expect(lamina).toEqual(middy)
  })

  it('route an error thrown by a before hook through the error handler identically', async () => {
    const failingBefore: CompatMiddleware = {
      before: () => {
        throw createError(401, 'Missing token')
      },
    }

    const { middy, lamina } = await runBoth({
      middlewares: (trace) => [...httpStack(trace), failingBefore, recorder('after-failure', trace)],
      handler: echo,
      event: fixed(event),
    })

    expect(middy.outcome).toMatchObject({ resolved: { statusCode: 401, body: 'Missing token' } })
    expect(middy.trace).toContain('after-failure.onError')
    expect(middy.trace).not.toContain('after-failure.before')
    expect(lamina).toEqual(middy)
  })

  it('route an error thrown by an after hook through the error handler identically', async () => {
    const failingAfter: CompatMiddleware = {
      after: () => {
        throw createError(409, 'Version conflict')
      },
    }

    const { middy, lamina } = await runBoth({
      middlewares: (trace) => [...httpStack(trace), recorder('outer-of-failure', trace), failingAfter],
      handler: echo,
      event: fixed(event),
    })

    expect(middy.outcome).toMatchObject({ resolved: { statusCode: 409 } })
    // The after phase stops at the failure: the outer after never runs, its onError does.
    expect(middy.trace).not.toContain('outer-of-failure.after')
    expect(middy.trace).toContain('outer-of-failure.onError')
    expect(lamina).toEqual(middy)
  })

  it('end the after phase at an after hook that returns a value, identically', async () => {
    const replacing: CompatMiddleware = { after: () => ({ statusCode: 202, body: 'replaced' }) }

    const { middy, lamina } = await runBoth({
      middlewares: (trace) => [recorder('outer', trace), replacing],
      handler: echo,
      event: fixed(event),
    })

    expect(middy.outcome).toEqual({ resolved: { statusCode: 202, body: 'replaced' } })
    expect(middy.trace).toEqual(['outer.before', 'handler'])
    expect(lamina).toEqual(middy)
  })

  it('reject with the new error, the original as its cause, when an onError hook throws; Lamina still runs the outer onError hooks', async () => {
    const failingOnError: CompatMiddleware = {
      onError: () => {
        throw new RangeError('error reporter is down')
      },
    }

    const { middy, lamina } = await runBoth({
      middlewares: (trace) => [recorder('outer', trace), failingOnError],
      handler: throwingHandler(new Error('original failure')),
      event: fixed(event),
    })

    expect(middy.outcome).toMatchObject({
      rejected: { name: 'RangeError', message: 'error reporter is down', cause: { message: 'original failure' } },
    })
    // Middy skips the remaining onError hooks. Lamina hands the new error to them on purpose, so a
    // failing observer cannot take away an outer error mapper's answer; the outcome is the same.
    expect(middy.trace).toEqual(['outer.before', 'handler'])
    expect(lamina.trace).toEqual(['outer.before', 'handler', 'outer.onError'])
    expect(lamina.outcome).toEqual(middy.outcome)
  })

  it('stop the onError chain at a hook that returns a response, identically', async () => {
    const recovering: CompatMiddleware = { onError: () => ({ statusCode: 503, body: 'try later' }) }

    const { middy, lamina } = await runBoth({
      middlewares: (trace) => [recorder('outer', trace), recovering],
      handler: throwingHandler(new Error('flaky')),
      event: fixed(event),
    })

    expect(middy.outcome).toEqual({ resolved: { statusCode: 503, body: 'try later' } })
    expect(middy.trace).toEqual(['outer.before', 'handler'])
    expect(lamina).toEqual(middy)
  })

  it('answer early with undefined when a before hook sets request.earlyResponse, identically', async () => {
    const earlyUndefined: CompatMiddleware = {
      before: (request: object) => {
        ;(request as { earlyResponse?: unknown }).earlyResponse = undefined
      },
    }

    const { middy, lamina } = await runBoth({
      middlewares: (trace) => [recorder('outer', trace), earlyUndefined],
      handler: echo,
      event: fixed(event),
    })

    expect(middy.outcome).toEqual({ resolved: undefined })
    expect(middy.trace).toEqual(['outer.before'])
    expect(lamina).toEqual(middy)
  })
})

describe('the harness itself', () => {
  it('reports a difference when the engines disagree', async () => {
    // The handler's third argument is engine-specific (Middy: { signal }; Lamina: the request,
    // which also has .signal), so a handler that inspects its keys answers differently.
    const testCase: DifferentialCase<object> = {
      middlewares: () => [{ before: () => undefined }],
      handler:
        () =>
        (_event, _context, ...rest: unknown[]) =>
          Object.keys(rest[0] as object).includes('event'),
      event: () => ({}),
    }

    const { middy, lamina } = await runBoth(testCase)

    expect(middy.outcome).toEqual({ resolved: false })
    expect(lamina).not.toEqual(middy)
  })
})
