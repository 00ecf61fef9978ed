// The README's first example, read from the README and run: the answers its comments show.
import { createContext, events, type HttpAnswer } from '@lamina/testing'
import { describe, expect, it } from 'vitest'
import { importReadmeExample } from '../../../test/support/readme-example.ts'

type Handler = (event: unknown, context: unknown) => Promise<HttpAnswer>

const { handler } = (await importReadmeExample('packages/router/README.md', 'handler')) as { handler: Handler }
const origin = 'https://app.example'
const send = (input: Parameters<typeof events.apiGatewayV2>[0]) =>
  handler(events.apiGatewayV2({ ...input, headers: { origin, ...input?.headers } }), createContext())

describe('the router README example', () => {
  it('serves GET /users/1/orders/7 with the order and the CORS headers', async () => {
    const answer = await send({ path: '/users/1/orders/7' })
    expect(answer).toMatchObject({ statusCode: 200, body: '{"id":"7","sku":"A-1"}' })
    expect(answer.headers?.['access-control-allow-origin']).toBe(origin)
  })

  it('answers GET /users/1/orders/8 with the route’s 404, CORS headers included', async () => {
    const answer = await send({ path: '/users/1/orders/8' })
    expect(answer.statusCode).toBe(404)
    expect(JSON.parse(answer.body).message).toBe('No such order')
    expect(answer.headers?.['access-control-allow-origin']).toBe(origin)
  })

  it('creates with POST and answers 400 when the body fails the route’s schema', async () => {
    expect(await send({ method: 'POST', path: '/users/1/orders', body: { sku: 'B' } })).toMatchObject({
      statusCode: 201,
      body: '{"user":"1","sku":"B"}',
    })
    expect((await send({ method: 'POST', path: '/users/1/orders', body: { sku: '' } })).statusCode).toBe(400)
  })

  it('answers DELETE with 405 and allow, an unknown path with 404', async () => {
    const wrongMethod = await send({ method: 'DELETE', path: '/users/1/orders/7' })
    expect(wrongMethod.statusCode).toBe(405)
    expect(wrongMethod.headers?.allow).toBe('GET, HEAD, OPTIONS')
    const nowhere = await send({ path: '/nowhere' })
    expect(nowhere.statusCode).toBe(404)
    expect(JSON.parse(nowhere.body).message).toBe('No route matches the request path.')
  })

  it('answers a preflight with 204 and the CORS headers', async () => {
    const answer = await send({
      method: 'OPTIONS',
      path: '/users/1/orders',
      headers: { 'access-control-request-method': 'POST' },
    })
    expect(answer.statusCode).toBe(204)
    expect(answer.headers).toMatchObject({
      'access-control-allow-origin': origin,
      'access-control-allow-credentials': 'true',
      'access-control-max-age': '600',
    })
  })
})
