// Differential: one route table served by @middy/http-router on @middy/core and by @lamina/router
// on wrap(), both behind the same errorMapper. For any request a client can make on the four HTTP
// sources, a route Middy serves is served by Lamina with the same status and body; a path Middy
// answers 404 is a 404 (or, when another method serves the path, a 405 whose allow header names
// only methods Middy serves there). The differences by design are tested at the end.
import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { type HttpEvent, router } from '@lamina/router'
import { createContext, type HttpAnswer, httpSources } from '@lamina/testing'
import middy, { type MiddlewareObj } from '@middy/core'
import httpRouterHandler from '@middy/http-router'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY'
type Echo = (event: Record<string, any>) => HttpAnswer

const methodOf = (event: Record<string, any>): string => event.httpMethod ?? event.requestContext?.http?.method

const echo =
  (route: string): Echo =>
  (event) => ({
    statusCode: route === 'create' ? 201 : 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ route, method: methodOf(event), params: event.pathParameters ?? {} }),
  })

// Dynamic routes are listed from the most to the least specific: Middy takes the first that
// matches, rou3 the most specific, and here the two agree.
const table: [Method, string, Echo][] = [
  ['GET', '/', echo('root')],
  ['GET', '/users', echo('list')],
  ['POST', '/users', echo('create')],
  ['GET', '/users/me', echo('me')],
  ['GET', '/users/{id}/orders/{orderId}', echo('order')],
  ['GET', '/users/{id}/orders', echo('orders')],
  ['GET', '/users/{id}', echo('user')],
  ['PUT', '/users/{id}', echo('replace')],
  ['DELETE', '/users/{id}', echo('delete')],
  ['GET', '/files/{proxy+}', echo('file')],
  ['ANY', '/any/{thing}', echo('any')],
]

const middyApp = () =>
  middy()
    // Lamina's errorMapper is a plain middleware object: Middy runs it as it is.
    .use(errorMapper() as MiddlewareObj)
    .handler(httpRouterHandler(table.map(([method, path, handler]) => ({ method, path, handler })) as never) as never)

const laminaApp = () => {
  const app = router()
  for (const [method, path, handler] of table) app.route(method, path, handler)
  return wrap<HttpEvent>().use(errorMapper()).handler(app)
}

const middyHandler = middyApp()
const laminaHandler = laminaApp()
const run = async (handler: (event: any, context: any) => Promise<unknown>, event: object) =>
  (await handler(structuredClone(event), createContext())) as HttpAnswer

// Values a client means literally and both routers read alike (Middy does not decode).
const value = fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,11}$/)
const path = fc
  .oneof(
    fc.constant('/'),
    fc.constant('/users'),
    fc.constant('/users/me'),
    value.map((id) => `/users/${id}`),
    value.map((id) => `/users/${id}/orders`),
    fc.tuple(value, value).map(([id, orderId]) => `/users/${id}/orders/${orderId}`),
    fc.array(value, { minLength: 1, maxLength: 4 }).map((segments) => `/files/${segments.join('/')}`),
    value.map((thing) => `/any/${thing}`),
    fc.array(value, { minLength: 1, maxLength: 3 }).map((segments) => `/${segments.join('/')}`),
  )
  .chain((base) => fc.constantFrom(base, base === '/' ? base : `${base}/`))
const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE')

describe.each(httpSources)('the same routes through @middy/http-router and @lamina/router, on $name', ({ factory }) => {
  it('give the same status and body for every request Middy routes, and 404/405 for the rest', async () => {
    await fc.assert(
      fc.asyncProperty(method, path, async (verb, requestPath) => {
        // Prepare
        const event = factory({ method: verb, path: requestPath })
        // Act
        const middyAnswer = await run(middyHandler, event)
        const laminaAnswer = await run(laminaHandler, event)
        // Assess
        if (middyAnswer.statusCode !== 404) {
          expect({ status: laminaAnswer.statusCode, body: laminaAnswer.body }).toEqual({
            status: middyAnswer.statusCode,
            body: middyAnswer.body,
          })
          return
        }
        expect([404, 405]).toContain(laminaAnswer.statusCode)
        if (laminaAnswer.statusCode === 405) {
          const allowed = (laminaAnswer.headers?.allow ?? '').split(', ').filter((m) => m !== 'HEAD' && m !== 'OPTIONS')
          for (const other of allowed) {
            const served = await run(middyHandler, factory({ method: other, path: requestPath }))
            expect(served.statusCode, `Middy serves ${other} ${requestPath}`).not.toBe(404)
          }
        }
      }),
      { numRuns: 250 },
    )
  })
})

describe('where @lamina/router answers differently, by design', () => {
  const v2 = httpSources[1]?.factory as (typeof httpSources)[number]['factory']

  it('a method the path does not take: Middy 404, Lamina 405 with allow', async () => {
    const event = v2({ method: 'PATCH', path: '/users' })
    expect((await run(middyHandler, event)).statusCode).toBe(404)
    expect(await run(laminaHandler, event)).toMatchObject({
      statusCode: 405,
      headers: { allow: 'GET, HEAD, POST, OPTIONS' },
    })
  })

  it('HEAD of a GET route: Middy 404, Lamina the GET answer without its body', async () => {
    const event = v2({ method: 'HEAD', path: '/users/42' })
    expect((await run(middyHandler, event)).statusCode).toBe(404)
    expect(await run(laminaHandler, event)).toMatchObject({ statusCode: 200, body: '' })
  })

  it('a bare {proxy+} prefix: Middy serves it with proxy "", Lamina (as API Gateway) needs a segment', async () => {
    const event = v2({ path: '/files' })
    expect(JSON.parse((await run(middyHandler, event)).body).params).toEqual({ proxy: '' })
    expect((await run(laminaHandler, event)).statusCode).toBe(404)
  })

  it('an encoded parameter: Middy hands it on encoded, Lamina decoded', async () => {
    const event = httpSources[0]?.factory({ path: '/users/caf%C3%A9' }) as object
    expect(JSON.parse((await run(middyHandler, event)).body).params).toEqual({ id: 'caf%C3%A9' })
    expect(JSON.parse((await run(laminaHandler, event)).body).params).toEqual({ id: 'café' })
  })
})
