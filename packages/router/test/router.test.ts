import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { type HttpEvent, router } from '@lamina/router'
import { createContext, events, type HttpAnswer, httpSources } from '@lamina/testing'
import { validator } from '@lamina/validator'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

const echo = (name: string) => async (event: { pathParameters: Record<string, string> }) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ route: name, params: event.pathParameters }),
})

const api = () =>
  router()
    .get('/', echo('root'))
    .get('/users', echo('list users'))
    .post('/users', echo('create user'))
    .get('/users/me', echo('me'))
    .get('/users/{id}', echo('user'))
    .delete('/users/{id}', echo('delete user'))
    .get('/users/{id}/orders/{orderId}', echo('order'))
    .get('/files/{proxy+}', echo('file'))

type App = (event: HttpEvent, context: any, options?: any) => Promise<unknown>
const handlerOf = (app: App) => wrap<HttpEvent>().use(errorMapper()).handler(app)

const call = async (event: object, app: App = api()) =>
  (await handlerOf(app)(event as HttpEvent, createContext())) as HttpAnswer
const routeOf = (answer: HttpAnswer) => JSON.parse(answer.body) as { route: string; params: Record<string, string> }

describe.each(httpSources)('router on $name', ({ factory }) => {
  it('hands a request to the route its method and path match, with the path parameters', async () => {
    // Act
    const answer = await call(factory({ method: 'GET', path: '/users/42/orders/7' }))
    // Assess
    expect(answer.statusCode).toBe(200)
    expect(routeOf(answer)).toEqual({ route: 'order', params: { id: '42', orderId: '7' } })
  })

  it('prefers a static route to a dynamic one on the same path', async () => {
    expect(routeOf(await call(factory({ path: '/users/me' }))).route).toBe('me')
    expect(routeOf(await call(factory({ path: '/users/you' }))).route).toBe('user')
  })

  it('serves the root path and static routes with empty path parameters', async () => {
    expect(routeOf(await call(factory({ path: '/' })))).toEqual({ route: 'root', params: {} })
    expect(routeOf(await call(factory({ path: '/users', method: 'POST' })))).toEqual({
      route: 'create user',
      params: {},
    })
  })

  it('gives a greedy {proxy+} the rest of the path, one segment or more', async () => {
    expect(routeOf(await call(factory({ path: '/files/a/b/c.txt' })))).toEqual({
      route: 'file',
      params: { proxy: 'a/b/c.txt' },
    })
    expect((await call(factory({ path: '/files' }))).statusCode).toBe(404)
  })

  it('keeps a trailing slash in a greedy parameter, as API Gateway and Middy do', async () => {
    expect(routeOf(await call(factory({ path: '/files/docs/' }))).params).toEqual({ proxy: 'docs/' })
  })

  it('ignores one trailing slash, not two', async () => {
    expect(routeOf(await call(factory({ path: '/users/42/' }))).params).toEqual({ id: '42' })
    expect(routeOf(await call(factory({ path: '/users/' }))).route).toBe('list users')
    expect((await call(factory({ path: '/users/42//' }))).statusCode).toBe(404)
  })

  it('answers 404 through errorMapper when no route matches the path', async () => {
    // Act
    const answer = await call(factory({ path: '/nowhere' }))
    // Assess
    expect(answer.statusCode).toBe(404)
    expect(JSON.parse(answer.body).message).toBe('No route matches the request path.')
  })

  it('answers 405 with an allow header listing the methods the path takes', async () => {
    // Act
    const answer = await call(factory({ method: 'PUT', path: '/users/42' }))
    // Assess
    expect(answer.statusCode).toBe(405)
    const headers = answer.headers ?? Object.fromEntries(Object.entries(answer.multiValueHeaders ?? {}))
    expect(headers.allow).toBe('GET, HEAD, DELETE, OPTIONS')
  })

  it('answers HEAD with the GET route, without the body', async () => {
    // Act
    const answer = await call(factory({ method: 'HEAD', path: '/users/42' }))
    // Assess
    expect(answer).toMatchObject({ statusCode: 200, body: '', headers: { 'content-type': 'application/json' } })
  })

  it('answers OPTIONS on a routed path with 204 and allow', async () => {
    const answer = await call(factory({ method: 'OPTIONS', path: '/users' }))
    expect(answer).toMatchObject({ statusCode: 204, body: '', headers: { allow: 'GET, HEAD, POST, OPTIONS' } })
  })
})

describe('matching rules', () => {
  it('decodes percent-encoded path parameters, and leaves a sequence that is not UTF-8 as it came', async () => {
    const user = (path: string) => call(events.apiGatewayV1({ path })).then((answer) => routeOf(answer).params.id)
    expect(await user('/users/caf%C3%A9')).toBe('café')
    expect(await user('/users/a%20b')).toBe('a b')
    expect(await user('/users/a%2Fb')).toBe('a/b')
    expect(await user('/users/100%25')).toBe('100%')
    expect(await user('/users/%FF')).toBe('%FF')
  })

  it('matches an HTTP API path delivered decoded like the same path delivered encoded', async () => {
    // Prepare: an HTTP API hands the function the decoded path; a REST API the encoded one.
    const app = router().get('/café/{name}', echo('café'))
    // Act
    const decoded = await call(events.apiGatewayV2({ path: '/café/a b' }), app)
    const encoded = await call(events.apiGatewayV1({ path: '/caf%c3%a9/a%20b' }), app)
    // Assess
    expect(routeOf(decoded)).toEqual({ route: 'café', params: { name: 'a b' } })
    expect(routeOf(encoded)).toEqual(routeOf(decoded))
  })

  it('reads an escaped unreserved character as the character, and a bare % as a literal one', async () => {
    const app = router().get('/abc', echo('abc')).get('/100%25', echo('percent'))
    expect(routeOf(await call(events.apiGatewayV1({ path: '/%61bc' }), app)).route).toBe('abc')
    expect(routeOf(await call(events.apiGatewayV2({ path: '/100%' }), app)).route).toBe('percent')
  })

  it('prefers the more specific of two dynamic routes, whatever the registration order', async () => {
    const app = router().get('/users/{id}/{tab}', echo('tab')).get('/users/{id}/orders', echo('orders'))
    expect(routeOf(await call(events.apiGatewayV2({ path: '/users/1/orders' }), app)).route).toBe('orders')
    expect(routeOf(await call(events.apiGatewayV2({ path: '/users/1/profile' }), app)).route).toBe('tab')
  })

  it('is case-sensitive, as API Gateway is', async () => {
    expect((await call(events.apiGatewayV2({ path: '/Users/42' }))).statusCode).toBe(404)
  })

  it('matches route text holding the matcher’s own syntax characters literally', async () => {
    const app = router().get('/v1:batch', echo('batch')).get('/a(b)*c+', echo('odd'))
    expect(routeOf(await call(events.apiGatewayV2({ path: '/v1:batch' }), app)).route).toBe('batch')
    expect(routeOf(await call(events.apiGatewayV2({ path: '/a(b)*c+' }), app)).route).toBe('odd')
    expect((await call(events.apiGatewayV2({ path: '/v1' }), app)).statusCode).toBe(404)
  })

  it('does not resolve dot segments: /a/../users is not /users', async () => {
    expect((await call(events.apiGatewayV1({ path: '/a/../users' }))).statusCode).toBe(404)
  })

  it('gives a path that does not start with "/" a 404', async () => {
    const event = { ...events.apiGatewayV1(), path: 'users' }
    expect((await call(event)).statusCode).toBe(404)
  })

  it('serves every method on an ANY route, and a more specific route for its own method first', async () => {
    const app = router().any('/things/{id}', echo('any')).route('get', '/things/{id}', echo('get'))
    expect(routeOf(await call(events.apiGatewayV2({ method: 'GET', path: '/things/1' }), app)).route).toBe('get')
    expect(routeOf(await call(events.apiGatewayV2({ method: 'PATCH', path: '/things/1' }), app)).route).toBe('any')
    expect(routeOf(await call(events.apiGatewayV2({ method: 'TRACE', path: '/things/1' }), app)).route).toBe('any')
  })

  it('answers HEAD with a HEAD route when there is one, still without a body', async () => {
    const app = router()
      .get('/x', echo('get'))
      .head('/x', async () => ({ statusCode: 204, headers: { etag: '"1"' }, body: 'ignored' }))
    expect(await call(events.apiGatewayV2({ method: 'HEAD', path: '/x' }), app)).toEqual({
      statusCode: 204,
      headers: { etag: '"1"' },
      body: '',
    })
  })

  it('answers HEAD of a GET route that returns a bare value (HTTP API) as the 200 JSON answer, without its body', async () => {
    const app = router().get('/plain', () => ({ ok: true }))
    expect(await call(events.apiGatewayV2({ method: 'HEAD', path: '/plain' }), app)).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: '',
    })
  })

  it('lets an OPTIONS route answer OPTIONS itself', async () => {
    const app = router().options('/x', async () => ({ statusCode: 200, body: 'mine' }))
    expect((await call(events.apiGatewayV2({ method: 'OPTIONS', path: '/x' }), app)).body).toBe('mine')
  })

  it('answers 405 to a method it does not know on a routed path', async () => {
    const answer = await call(events.apiGatewayV2({ method: 'TRACE', path: '/users' }))
    expect(answer.statusCode).toBe(405)
  })

  it('answers in multi-value headers for an ALB target group with multi-value headers on', async () => {
    const { headers: _, ...event } = { ...events.alb({ method: 'OPTIONS', path: '/users' }), multiValueHeaders: {} }
    expect(await call(event)).toEqual({
      statusCode: 204,
      statusDescription: '204 No Content',
      multiValueHeaders: { allow: ['GET, HEAD, POST, OPTIONS'] },
      body: '',
      isBase64Encoded: false,
    })
  })

  it('hands the route a view of the event: the event Lambda passed keeps its own pathParameters', async () => {
    // Prepare
    const event = events.apiGatewayV1({ path: '/users/42' })
    // Act
    await call(event)
    // Assess
    expect(event.pathParameters).toBeNull()
  })
})

describe('a route whose handler is a whole chain', () => {
  const app = () =>
    router().post(
      '/users/{id}/orders',
      [validator({ body: z.object({ sku: z.string().min(1) }), path: z.object({ id: z.coerce.number() }) })],
      async (event) => ({
        statusCode: 201,
        body: JSON.stringify({ user: event.pathParameters.id, sku: event.body.sku }),
      }),
    )

  it('runs the route’s own middlewares on its event, with the path parameters', async () => {
    // Act
    const answer = await call(
      events.apiGatewayV2({ method: 'POST', path: '/users/7/orders', body: { sku: 'A' } }),
      app(),
    )
    // Assess
    expect(answer).toMatchObject({ statusCode: 201, body: '{"user":7,"sku":"A"}' })
  })

  it('lets the route’s validator answer 400 through the router-wide errorMapper', async () => {
    const answer = await call(
      events.apiGatewayV2({ method: 'POST', path: '/users/7/orders', body: { sku: '' } }),
      app(),
    )
    expect(answer.statusCode).toBe(400)
    expect(JSON.parse(answer.body).issues).toEqual([{ path: ['body', 'sku'], message: expect.any(String) }])
  })

  it('takes a wrap() chain as a route handler', async () => {
    // Prepare
    const route = wrap<{ pathParameters: { id: string } }>()
      .use({
        before: (request) => {
          request.internal.seen = true
        },
      })
      .handler(async (event) => ({ statusCode: 200, body: event.pathParameters.id }))
    // Act
    const answer = await call(events.functionUrl({ path: '/things/x1' }), router().get('/things/{id}', route))
    // Assess
    expect(answer.body).toBe('x1')
  })

  it('runs router-wide middlewares around every route', async () => {
    // Prepare
    const trace: string[] = []
    const outer = wrap<HttpEvent>()
      .use({ before: () => void trace.push('outer before'), after: () => void trace.push('outer after') })
      .handler(
        router().get('/a', [{ before: () => void trace.push('route before') }], () => ({ statusCode: 200, body: '' })),
      )
    // Act
    await outer(events.apiGatewayV2({ path: '/a' }), createContext())
    // Assess
    expect(trace).toEqual(['outer before', 'route before', 'outer after'])
  })
})

describe('the router used directly', () => {
  it('is a handler: wrap(app) serves a request', async () => {
    const handler = wrap(router().get('/hello', () => ({ statusCode: 200, body: 'hi' })))
    expect(await handler(events.apiGatewayV2({ path: '/hello' }), createContext())).toEqual({
      statusCode: 200,
      body: 'hi',
    })
  })

  it('rejects, never throws, when no route matches', async () => {
    const app = router()
    const pending = app(events.apiGatewayV2({ path: '/x' }), createContext())
    await expect(pending).rejects.toMatchObject({ statusCode: 404, expose: true })
  })

  it('refuses an event that is not an HTTP request, naming what it got', async () => {
    const app = router()
    await expect(app(events.sqs() as never, createContext())).rejects.toThrow(
      /the event is an event from sqs, not an HTTP request .* give other sources their own handler/,
    )
    await expect(app(null as never, createContext())).rejects.toThrow(/the event is null/)
    await expect(app('GET /' as never, createContext())).rejects.toThrow(/the event is a string/)
    await expect(app({} as never, createContext())).rejects.toThrow(/an object of no known shape/)
  })
})

describe('registration mistakes fail at init, naming the fix', () => {
  const noop = () => undefined
  it.each([
    ['users', /a route path is a string starting with "\/"/],
    ['/users?x=1', /has a "\?" or "#"/],
    ['/users//orders', /has an empty segment/],
    ['/users/id-{id}', /not a whole parameter segment/],
    ['/users/{id', /not a whole parameter segment/],
    ['/a/../b', /has a "\." or "\.\." segment/],
    // Encoded, a dot is still a dot: the route would otherwise serve the path without it.
    ['/%2e', /has a "\." or "\.\." segment \(or one encoded as %2e\)/],
    ['/a/.%2E/b', /has a "\." or "\.\." segment/],
    ['/{a}/{a}', /names the parameter "a" twice/],
    ['/{__proto__}', /names a parameter "__proto__"/],
    ['/{proxy+}/more', /greedy \{proxy\+\} before its end/],
  ])('refuses the path %s', (path, message) => {
    expect(() => router().get(path, noop)).toThrow(message)
  })

  it('refuses a method it does not route, a handler that is not a function, and middlewares that are not a list', () => {
    expect(() => router().route('TRACE' as never, '/', noop)).toThrow(/"TRACE" is not a route method; use one of GET/)
    expect(() => router().get('/', null as never)).toThrow(/the handler for GET \/ is null; pass a function/)
    expect(() => router().get('/', 'x' as never)).toThrow(/is string/)
    expect(() => (router().get as any)('/', {}, noop)).toThrow(/must be an array/)
  })

  it('refuses a second route on the same method and path shape', () => {
    const app = router().get('/users/{id}', noop)
    expect(() => app.get('/users/{name}', noop)).toThrow(
      'router(): GET /users/{name} matches the same requests as GET /users/{id}, registered first; keep one of them.',
    )
    expect(() => app.post('/users/{name}', noop)).not.toThrow()
  })
})
