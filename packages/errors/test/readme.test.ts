// The README's first example, read from the README and run: the answers its comments show.
import { createContext, events, type HttpAnswer } from '@lamina/testing'
import { describe, expect, it } from 'vitest'
import { importReadmeExample } from '../../../test/support/readme-example.ts'

type Handler = (event: unknown, context: unknown) => Promise<HttpAnswer>

const { handler } = (await importReadmeExample('packages/errors/README.md', 'handler')) as { handler: Handler }

describe('the errors README example', () => {
  it('answers GET /orders/2 with 404, the message and the request id', async () => {
    // Prepare
    const context = createContext()
    // Act
    const response = await handler(events.apiGatewayV2({ path: '/orders/2' }), context)
    // Assess
    expect(response.statusCode).toBe(404)
    expect(JSON.parse(response.body)).toEqual({ message: 'No such order', requestId: context.awsRequestId })
  })

  it('answers GET /busy with 429 and Retry-After: 30', async () => {
    const response = await handler(events.apiGatewayV2({ path: '/busy' }), createContext())
    expect(response.statusCode).toBe(429)
    expect(response.headers?.['Retry-After']).toBe('30')
  })

  it('lets the handler answer GET /orders/1', async () => {
    const response = await handler(events.apiGatewayV2({ path: '/orders/1' }), createContext())
    expect(response).toEqual({ statusCode: 200, body: '{"id":1}' })
  })
})
