import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { type CorsOptions, cors, type HttpEvent, router } from '@lamina/router'
import { createContext, events, type HttpAnswer, httpSources } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { validator } from '@lamina/validator'
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'

const app = 'https://app.example'
const evil = 'https://evil.example'

const routes = (calls: string[] = []) =>
  router()
    .get('/orders', () => {
      calls.push('list')
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '[]' }
    })
    .post('/orders', [validator({ body: z.object({ sku: z.string().min(1) }) })], (event) => {
      calls.push('create')
      if (event.body.sku === 'bug') throw new Error('connection to 10.0.0.7 refused')
      return { statusCode: 201, body: JSON.stringify(event.body) }
    })

/** The recommended order: timeoutGuard, cors, errorMapper, then the router. */
const api = (options: CorsOptions, calls: string[] = []) =>
  wrap<HttpEvent>().use(timeoutGuard()).use(cors(options)).use(errorMapper()).handler(routes(calls))

const headerOf = (answer: HttpAnswer, name: string) => {
  const bag: Record<string, unknown> = answer.headers ?? answer.multiValueHeaders ?? {}
  const found = Object.entries(bag).find(([key]) => key.toLowerCase() === name)?.[1]
  return Array.isArray(found) ? found.join(', ') : (found as string | undefined)
}

type Handler = (event: HttpEvent, context: ReturnType<typeof createContext>) => Promise<unknown>
const send = async (handler: Handler, event: object) =>
  (await handler(event as HttpEvent, createContext())) as HttpAnswer

describe.each(httpSources)('cors() before errorMapper, on $name', ({ factory }) => {
  const handler = api({ origins: [app], credentials: true, exposeHeaders: ['x-request-id'] })
  const request = (method: string, path: string, body?: unknown) =>
    send(handler, factory({ method, path, body, headers: { origin: app } }))

  it.each([
    ['a 2xx from a route', 'GET', '/orders', undefined, 200],
    ['a 404 from the router', 'GET', '/nowhere', undefined, 404],
    ['a 405 from the router', 'DELETE', '/orders', undefined, 405],
    ['a 400 from a route’s validator', 'POST', '/orders', { sku: '' }, 400],
    ['a 500 from a throw', 'POST', '/orders', { sku: 'bug' }, 500],
  ])('allows the origin on %s', async (_, method, path, body, status) => {
    // Act
    const answer = await request(method, path, body)
    // Assess
    expect(answer.statusCode).toBe(status)
    expect(headerOf(answer, 'access-control-allow-origin')).toBe(app)
    expect(headerOf(answer, 'access-control-allow-credentials')).toBe('true')
    expect(headerOf(answer, 'access-control-expose-headers')).toBe('x-request-id')
    expect(headerOf(answer, 'vary')).toBe('Origin')
  })

  it('answers the preflight itself with 204, before any route runs', async () => {
    // Prepare
    const calls: string[] = []
    const withPreflight = api({ origins: [app], credentials: true, maxAge: 600, headers: ['content-type'] }, calls)
    const preflight = factory({
      method: 'OPTIONS',
      path: '/orders',
      headers: { Origin: app, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-other' },
    })
    // Act
    const answer = await send(withPreflight, preflight)
    // Assess
    expect(answer.statusCode).toBe(204)
    expect(answer.body).toBe('')
    expect(headerOf(answer, 'access-control-allow-origin')).toBe(app)
    expect(headerOf(answer, 'access-control-allow-methods')).toBe('GET,HEAD,PUT,PATCH,POST,DELETE')
    expect(headerOf(answer, 'access-control-allow-headers')).toBe('content-type')
    expect(headerOf(answer, 'access-control-max-age')).toBe('600')
    expect(headerOf(answer, 'access-control-allow-credentials')).toBe('true')
    expect(calls).toEqual([])
  })

  it('leaves the allow headers off for an origin it does not allow, and says the answer varies by Origin', async () => {
    // Act
    const answer = await send(handler, factory({ path: '/orders', headers: { origin: evil } }))
    const preflight = await send(
      handler,
      factory({
        method: 'OPTIONS',
        path: '/orders',
        headers: { origin: evil, 'access-control-request-method': 'GET' },
      }),
    )
    // Assess
    expect(headerOf(answer, 'access-control-allow-origin')).toBeUndefined()
    expect(headerOf(answer, 'vary')).toBe('Origin')
    expect(preflight.statusCode).toBe(204)
    expect(headerOf(preflight, 'access-control-allow-origin')).toBeUndefined()
    expect(headerOf(preflight, 'access-control-allow-methods')).toBeUndefined()
  })
})

describe('cors() options', () => {
  const get = (handler: Handler, headers: Record<string, string>) =>
    send(handler, events.apiGatewayV2({ path: '/orders', headers }))

  it("allows any origin by default with '*', on every answer and without Vary", async () => {
    const answer = await get(api({}), {})
    expect(headerOf(answer, 'access-control-allow-origin')).toBe('*')
    expect(headerOf(answer, 'vary')).toBeUndefined()
  })

  it('asks a function whether an origin may read', async () => {
    const handler = api({ origins: (origin) => origin.endsWith('.app.example') })
    expect(headerOf(await get(handler, { origin: 'https://eu.app.example' }), 'access-control-allow-origin')).toBe(
      'https://eu.app.example',
    )
    expect(headerOf(await get(handler, { origin: evil }), 'access-control-allow-origin')).toBeUndefined()
    expect(headerOf(await get(handler, {}), 'access-control-allow-origin')).toBeUndefined()
  })

  it('takes one origin as a string', async () => {
    const answer = await get(api({ origins: app }), { origin: app })
    expect(headerOf(answer, 'access-control-allow-origin')).toBe(app)
  })

  it('allows, in a preflight, the request headers the browser asks for when no list is given, if well formed', async () => {
    // Prepare
    const handler = api({ origins: [app] })
    const preflight = (asked: string) =>
      send(
        handler,
        events.apiGatewayV2({
          method: 'OPTIONS',
          path: '/orders',
          headers: { origin: app, 'access-control-request-method': 'POST', 'access-control-request-headers': asked },
        }),
      )
    // Act
    const wellFormed = await preflight('content-type, x-api-key')
    const injected = await preflight('x\r\nset-cookie: a=b')
    // Assess
    expect(headerOf(wellFormed, 'access-control-allow-headers')).toBe('content-type, x-api-key')
    expect(headerOf(wellFormed, 'vary')).toBe('Origin, Access-Control-Request-Headers')
    expect(headerOf(injected, 'access-control-allow-headers')).toBeUndefined()
  })

  it('keeps a header the route set itself, and adds Origin to its Vary', async () => {
    // Prepare
    const handler = wrap<HttpEvent>()
      .use(cors({ origins: [app] }))
      .handler(
        router().get('/own', () => ({
          statusCode: 200,
          headers: { 'Access-Control-Allow-Origin': 'https://other.example', Vary: 'Accept-Encoding' },
          body: '',
        })),
      )
    // Act
    const answer = await send(handler, events.apiGatewayV2({ path: '/own', headers: { origin: app } }))
    // Assess
    expect(answer.headers).toEqual({
      'Access-Control-Allow-Origin': 'https://other.example',
      Vary: 'Accept-Encoding, Origin',
    })
  })

  it('does not add Origin to a Vary that already lists it or is *', async () => {
    const handler = (vary: string) =>
      wrap<HttpEvent>()
        .use(cors({ origins: [app] }))
        .handler(router().get('/v', () => ({ statusCode: 200, headers: { vary }, body: '' })))
    const varyOf = async (vary: string) =>
      headerOf(await send(handler(vary), events.apiGatewayV2({ path: '/v', headers: { origin: app } })), 'vary')
    expect(await varyOf('origin')).toBe('origin')
    expect(await varyOf('*')).toBe('*')
  })

  it('never changes a response object a route keeps across invocations', async () => {
    // Prepare
    const shared = Object.freeze({ statusCode: 200, headers: Object.freeze({ 'x-a': '1' }), body: 'same' })
    const handler = wrap<HttpEvent>()
      .use(cors({ origins: [app] }))
      .handler(router().get('/shared', () => shared))
    // Act
    const answer = await send(handler, events.apiGatewayV2({ path: '/shared', headers: { origin: app } }))
    // Assess
    expect(headerOf(answer, 'access-control-allow-origin')).toBe(app)
    expect(shared.headers).toEqual({ 'x-a': '1' })
  })

  it('gives a bare value from an HTTP API route its headers as the 200 JSON answer API Gateway would make', async () => {
    const handler = wrap<HttpEvent>()
      .use(cors({ origins: [app] }))
      .handler(router().get('/bare', () => ({ ok: true })))
    const answer = await send(handler, events.apiGatewayV2({ path: '/bare', headers: { origin: app } }))
    expect(answer).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'access-control-allow-origin': app, vary: 'Origin' },
      body: '{"ok":true}',
    })
  })

  it('leaves a REST API route’s bare value alone (API Gateway answers it with an error anyway)', async () => {
    const handler = wrap<HttpEvent>()
      .use(cors({ origins: [app] }))
      .handler(router().get('/bare', () => 'text'))
    expect(await handler(events.apiGatewayV1({ path: '/bare', headers: { origin: app } }), createContext())).toBe(
      'text',
    )
  })

  it('reads the Origin from the event as Lambda delivered it, whatever a headers schema later keeps', async () => {
    // Prepare
    const handler = wrap<HttpEvent>()
      .use(cors({ origins: [app] }))
      .use(errorMapper())
      .use(validator({ headers: z.object({ 'x-api-key': z.string() }) }))
      .handler(() => ({ statusCode: 200, body: '' }))
    // Act
    const answer = await send(handler, events.apiGatewayV2({ headers: { origin: app, 'x-api-key': 'k' } }))
    // Assess
    expect(headerOf(answer, 'access-control-allow-origin')).toBe(app)
  })

  it('writes multi-value headers for an ALB target group with multi-value headers on, errors included', async () => {
    // Prepare
    const { headers: _, ...event } = { ...events.alb({ path: '/nowhere' }), multiValueHeaders: { origin: [app] } }
    // Act
    const answer = await send(api({ origins: [app] }), event)
    // Assess
    expect(answer.statusCode).toBe(404)
    expect(answer.headers).toBeUndefined()
    expect(answer.multiValueHeaders).toMatchObject({ 'access-control-allow-origin': [app], vary: ['Origin'] })
  })

  it('answers an ALB multi-value preflight in multi-value headers', async () => {
    const { headers: _, ...event } = {
      ...events.alb({ method: 'OPTIONS', path: '/orders' }),
      multiValueHeaders: { origin: [app], 'access-control-request-method': ['GET'] },
    }
    const answer = await send(api({ origins: [app] }), event)
    expect(answer).toMatchObject({
      statusCode: 204,
      statusDescription: '204 No Content',
      multiValueHeaders: {
        'access-control-allow-origin': [app],
        'access-control-allow-methods': ['GET,HEAD,PUT,PATCH,POST,DELETE'],
      },
    })
  })

  it('leaves events that are not HTTP requests alone', async () => {
    const handler = wrap<unknown>()
      .use(cors({ origins: [app] }))
      .handler(() => 'done')
    expect(await handler(events.sqs(), createContext())).toBe('done')
  })

  it('warns once when registered after errorMapper, where it would miss error answers', () => {
    // Prepare
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    // Act
    wrap<HttpEvent>().use(errorMapper()).use(cors())
    // Assess
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/"cors" is used after "error-mapper".*cors\(\) if used/)
    warn.mockRestore()
  })
})

describe('cors() mistakes fail at init, naming the fix', () => {
  it.each([
    [{ origins: '*', credentials: true }, /credentials: true with origins '\*' would let any site read/],
    [{ credentials: true }, /credentials: true with origins '\*'/],
    [
      { origins: ['https://app.example/'] },
      /"https:\/\/app.example\/" is not an origin; write scheme, host and port only/,
    ],
    [{ origins: ['app.example'] }, /"app.example" is not an origin/],
    [{ origins: [42] }, /42 is not an origin/],
    [{ origins: 42 }, /42 is not an origin/],
    [{ credentials: 'yes' }, /credentials must be true or false/],
    [{ maxAge: -1 }, /maxAge is a whole number of seconds, got -1/],
    [{ maxAge: 1.5 }, /got 1.5/],
    [{ methods: ['GET POST'] }, /methods must be a list of header or method names/],
    [{ headers: 'content-type' }, /headers must be a list/],
    [{ exposeHeaders: ['a\nb'] }, /exposeHeaders must be a list/],
  ])('refuses %j', (options, message) => {
    expect(() => cors(options as CorsOptions)).toThrow(message)
  })

  it('refuses options that are not an object', () => {
    expect(() => cors(null as never)).toThrow(/cors\(\) takes an options object/)
  })
})
