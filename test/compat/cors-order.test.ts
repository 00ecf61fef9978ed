// Middy's httpCors with Lamina's errorMapper: where httpCors goes so that every answer, 2xx, 4xx,
// 5xx and the preflight, carries Access-Control-Allow-Origin. onError hooks run in reverse, so
// httpCors must be registered BEFORE errorMapper: its onError then runs after the mapper's, when
// there is a response to add the headers to.
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { createContext, events, httpSources } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { validator } from '@lamina/validator'
import httpCors from '@middy/http-cors'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

type Answer = { statusCode: number; headers?: Record<string, string>; body?: string }

const appOrigin = 'https://app.example'
const cors = () =>
  httpCors({ origins: [appOrigin], credentials: true, methods: 'GET,POST', disableBeforePreflightResponse: false })

const handlerCalls: string[] = []
const orders = async (event: { body: { sku: string } }) => {
  handlerCalls.push(event.body.sku)
  if (event.body.sku === 'bug') throw new Error('connection to 10.0.0.7 refused')
  return { statusCode: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify(event.body) }
}
const body = z.object({ sku: z.string().min(1) })

/** The recommended order: timeoutGuard, then httpCors, then errorMapper, then the rest. */
const corsBeforeMapper = () =>
  wrap<unknown>().use(timeoutGuard()).use(cors()).use(errorMapper()).use(validator({ body })).handler(orders)

/** httpCors after errorMapper: the order that loses the header on errors. */
const corsAfterMapper = () =>
  wrap<unknown>().use(timeoutGuard()).use(errorMapper()).use(cors()).use(validator({ body })).handler(orders)

const headerOf = (response: Answer, name: string) =>
  Object.entries(response.headers ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]

describe.each(httpSources)('httpCors registered before errorMapper, on $name', ({ factory }) => {
  const post = (payload: unknown) =>
    corsBeforeMapper()(factory({ method: 'POST', body: payload, headers: { origin: appOrigin } }), createContext())

  it('allows the origin on a 2xx', async () => {
    const response = (await post({ sku: 'A-1' })) as Answer
    expect(response.statusCode).toBe(201)
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe(appOrigin)
  })

  it('allows the origin on a 4xx from the validator, so the browser can read the issues', async () => {
    // Act
    const response = (await post({ sku: '' })) as Answer
    // Assess
    expect(response.statusCode).toBe(400)
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe(appOrigin)
    expect(headerOf(response, 'Access-Control-Allow-Credentials')).toBe('true')
    expect(JSON.parse(response.body as string).issues).toEqual([{ path: ['body', 'sku'], message: expect.any(String) }])
  })

  it('allows the origin on a 5xx from a throw, still without internals', async () => {
    const response = (await post({ sku: 'bug' })) as Answer
    expect(response.statusCode).toBe(500)
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe(appOrigin)
    expect(response.body).not.toContain('10.0.0.7')
  })

  it('answers the preflight with 204 and the allowed methods, before the validator and the handler', async () => {
    // Prepare
    handlerCalls.length = 0
    const preflight = factory({
      method: 'OPTIONS',
      headers: { origin: appOrigin, 'access-control-request-method': 'POST' },
    })
    // Act
    const response = (await corsBeforeMapper()(preflight, createContext())) as Answer
    // Assess
    expect(response.statusCode).toBe(204)
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe(appOrigin)
    expect(headerOf(response, 'Access-Control-Allow-Methods')).toBe('GET,POST')
    expect(handlerCalls).toEqual([])
  })
})

describe.each(httpSources)('httpCors registered after errorMapper, on $name', ({ factory }) => {
  it('leaves Access-Control-Allow-Origin off an error response (why the order matters)', async () => {
    const event = factory({ method: 'POST', body: { sku: '' }, headers: { origin: appOrigin } })
    const response = (await corsAfterMapper()(event, createContext())) as Answer
    expect(response.statusCode).toBe(400)
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBeUndefined()
  })
})

describe('an ALB target group with multi-value headers on', () => {
  it("gets no CORS header from httpCors on errors, and gets errorMapper's own headers", async () => {
    // Prepare: httpCors reads and writes single-value `headers`, which this event and its
    // response do not use; errorMapper({ headers }) answers in the multi-value form.
    const { headers: _, ...event } = {
      ...events.alb({ method: 'GET' }),
      multiValueHeaders: { origin: [appOrigin] },
    }
    const handler = wrap<unknown>()
      .use(cors())
      .use(errorMapper({ headers: { 'access-control-allow-origin': appOrigin, vary: 'Origin' } }))
      .handler(async () => orders({ body: { sku: 'bug' } }))
    // Act
    const response = (await handler(event, createContext())) as Answer & { multiValueHeaders?: object }
    // Assess
    expect(response.statusCode).toBe(500)
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBeUndefined()
    expect(response.multiValueHeaders).toEqual({
      'access-control-allow-origin': [appOrigin],
      vary: ['Origin'],
      'content-type': ['application/json'],
    })
  })
})

describe('a headers schema behind httpCors', () => {
  const withHeaders = (headers: z.ZodType) =>
    wrap<unknown>()
      .use(cors())
      .use(errorMapper())
      .use(validator({ headers }))
      .handler(async () => ({ statusCode: 200, body: '{}' }))
  const event = () => httpSources[1]?.factory({ headers: { origin: appOrigin, 'x-api-key': 'k' } })

  it('hides the Origin from httpCors when it strips unknown headers', async () => {
    const handler = withHeaders(z.object({ 'x-api-key': z.string() }))
    const response = (await handler(event(), createContext())) as Answer
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBeUndefined()
  })

  it('keeps it when the schema passes other headers through', async () => {
    const handler = withHeaders(z.looseObject({ 'x-api-key': z.string() }))
    const response = (await handler(event(), createContext())) as Answer
    expect(headerOf(response, 'Access-Control-Allow-Origin')).toBe(appOrigin)
  })
})
