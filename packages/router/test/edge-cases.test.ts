import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { cors, type HttpEvent, router } from '@lamina/router'
import { createContext, events, type HttpAnswer } from '@lamina/testing'
import { describe, expect, it } from 'vitest'

const ok = () => ({ statusCode: 200, body: 'ok' })
const serve = async (app: (event: HttpEvent, context: any) => Promise<unknown>, event: object) =>
  (await wrap<HttpEvent>().use(errorMapper()).handler(app)(event as HttpEvent, createContext())) as HttpAnswer

describe('events as they may arrive', () => {
  it('reads an HTTP API path from requestContext.http.path when rawPath is missing', async () => {
    const { rawPath: _, ...event } = events.apiGatewayV2({ path: '/a' })
    expect((await serve(router().get('/a', ok), event)).body).toBe('ok')
  })

  it('answers 405 to an event whose method is not a string, on a routed path', async () => {
    const http = events.apiGatewayV2({ path: '/a' })
    const event = {
      ...http,
      requestContext: { ...http.requestContext, http: { ...http.requestContext.http, method: 42 } },
    }
    expect((await serve(router().get('/a', ok), event)).statusCode).toBe(405)
  })

  it('registers a route with a trailing slash as the route without it', async () => {
    expect((await serve(router().get('/a/', ok), events.apiGatewayV2({ path: '/a' }))).body).toBe('ok')
  })

  it('lists a HEAD or OPTIONS route once in allow, and HEAD without GET', async () => {
    const app = router().head('/a', ok).options('/a', ok).get('/b', ok).head('/b', ok)
    expect((await serve(app, events.apiGatewayV2({ method: 'PUT', path: '/a' }))).headers?.allow).toBe('HEAD, OPTIONS')
    expect((await serve(app, events.apiGatewayV2({ method: 'PUT', path: '/b' }))).headers?.allow).toBe(
      'GET, HEAD, OPTIONS',
    )
  })
})

describe('registration mistakes with values that are not strings', () => {
  it('names an undefined method or path', () => {
    expect(() => router().route(undefined as never, '/', ok)).toThrow(/router\(\): undefined is not a route method/)
    expect(() => router().get(undefined as never, ok)).toThrow(
      /starting with "\/", like "\/users\/\{id\}"; got undefined/,
    )
  })
})

describe('cors() on unusual answers', () => {
  const origin = 'https://app.example'

  it("answers a preflight with origins '*' varying only by the requested headers", async () => {
    const handler = wrap<HttpEvent>().use(cors()).handler(router().get('/a', ok))
    const preflight = events.apiGatewayV2({
      method: 'OPTIONS',
      path: '/a',
      headers: { origin, 'access-control-request-method': 'GET' },
    })
    const answer = (await handler(preflight, createContext())) as HttpAnswer
    expect(answer.headers).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET,HEAD,PUT,PATCH,POST,DELETE',
      vary: 'Access-Control-Request-Headers',
    })
  })

  it('leaves an HTTP API route that answers nothing alone', async () => {
    const handler = wrap<HttpEvent>()
      .use(cors({ origins: [origin] }))
      .handler(router().get('/a', () => undefined))
    expect(await handler(events.apiGatewayV2({ path: '/a', headers: { origin } }), createContext())).toBeUndefined()
  })

  it('adds Origin to a multi-value Vary an ALB route answers with', async () => {
    const handler = wrap<HttpEvent>()
      .use(cors({ origins: [origin] }))
      .handler(router().get('/a', () => ({ statusCode: 200, multiValueHeaders: { Vary: ['Accept'] }, body: '' })))
    const { headers: _, ...event } = { ...events.alb({ path: '/a' }), multiValueHeaders: { origin: [origin] } }
    const answer = (await handler(event as HttpEvent, createContext())) as HttpAnswer
    expect(answer.multiValueHeaders).toEqual({ Vary: ['Accept, Origin'], 'access-control-allow-origin': [origin] })
  })

  it('reads no Origin from headers that are missing, or from a multi-value header that is not a list of strings', async () => {
    const handler = wrap<HttpEvent>()
      .use(cors({ origins: [origin] }))
      .handler(router().get('/a', ok))
    const noHeaders = { ...events.apiGatewayV1({ path: '/a' }), headers: null, multiValueHeaders: null }
    const { headers: _, ...odd } = {
      ...events.alb({ path: '/a' }),
      multiValueHeaders: { Origin: [1], other: [origin] },
    }
    for (const event of [noHeaders, odd]) {
      const answer = (await handler(event as unknown as HttpEvent, createContext())) as HttpAnswer
      expect(JSON.stringify(answer)).not.toContain('access-control-allow-origin')
    }
  })

  it('names an origin list entry that is undefined', () => {
    expect(() => cors({ origins: [undefined as never] })).toThrow(/cors\(\): undefined is not an origin/)
  })
})
