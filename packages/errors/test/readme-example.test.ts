// The README's snippet, run as written: if this breaks, so does the documentation.
import { wrap } from '@lamina/core'
import { errorMapper, NotFound, TooManyRequests } from '@lamina/errors'
import { createContext, events } from '@lamina/testing'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { describe, expect, it } from 'vitest'

export const handler = wrap<APIGatewayProxyEventV2>()
  .use(errorMapper())
  .handler(async (event) => {
    if (event.rawPath === '/busy') throw new TooManyRequests('Slow down', { headers: { 'Retry-After': '30' } })
    if (event.rawPath === '/bug') throw new TypeError("Cannot read properties of undefined (reading 'id')")
    if (event.rawPath !== '/orders/1') throw new NotFound('No such order')
    return { statusCode: 200, body: '{"id":1}' }
  })

type Answer = { statusCode: number; headers?: Record<string, string>; body: string }
const get = (path: string, context = createContext()) =>
  handler(events.apiGatewayV2({ path }), context) as unknown as Promise<Answer>

describe('README example', () => {
  it('answers 404 with the message and request id', async () => {
    const context = createContext()
    const response = await get('/orders/2', context)
    expect(response.statusCode).toBe(404)
    expect(JSON.parse(response.body)).toEqual({ message: 'No such order', requestId: context.awsRequestId })
  })

  it('answers 429 with Retry-After', async () => {
    const response = await get('/busy')
    expect(response.statusCode).toBe(429)
    expect(response.headers?.['Retry-After']).toBe('30')
  })

  it('answers a bug with a generic 500', async () => {
    const response = await get('/bug')
    expect(response.statusCode).toBe(500)
    expect(JSON.parse(response.body).message).toBe('Internal Server Error')
  })

  it('answers 200 when nothing is thrown', async () => {
    expect((await get('/orders/1')).statusCode).toBe(200)
  })
})
