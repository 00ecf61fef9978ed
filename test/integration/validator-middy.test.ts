import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { createContext, events } from '@lamina/testing'
import { validator } from '@lamina/validator'
import middy, { type MiddlewareObj } from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'

// Real Middy middlewares next to ours: teams migrate one middleware at a time.

const Order = z.object({ sku: z.string().min(1), quantity: z.number().int().positive() })
type Answer = { statusCode: number; headers?: Record<string, string>; body: string }

describe('validator after @middy/http-json-body-parser on wrap()', () => {
  const handler = wrap<unknown>()
    .use(errorMapper())
    .use(httpJsonBodyParser())
    .use(validator({ body: Order }))
    .handler(async (event) => ({ statusCode: 200, body: JSON.stringify((event as { body: unknown }).body) }))
  const call = (event: unknown) => handler(event, createContext()) as Promise<Answer>

  it('validates the body Middy already parsed', async () => {
    const response = await call(events.apiGatewayV2({ body: { sku: 'A-1', quantity: 2 } }))
    expect(response.statusCode).toBe(200)
    expect(JSON.parse(response.body)).toEqual({ sku: 'A-1', quantity: 2 })
  })

  it('answers 400 with issues for a schema failure', async () => {
    const response = await call(events.apiGatewayV2({ body: { sku: '', quantity: 2 } }))
    expect(response.statusCode).toBe(400)
    expect(JSON.parse(response.body).issues[0].path).toEqual(['body', 'sku'])
  })

  it("maps Middy's own parser errors (createError) through errorMapper", async () => {
    const response = await call(events.apiGatewayV2({ body: '{oops', headers: { 'content-type': 'application/json' } }))
    expect(response.statusCode).toBe(422)
    expect(response.body).not.toContain('oops')
  })
})

describe('validator on @middy/core with @middy/http-error-handler', () => {
  type OrderEvent = { body: z.infer<typeof Order> }
  const handler = middy<OrderEvent>()
    .use(httpErrorHandler({ logger: false }))
    // Cast: core's Request type requires `signal`, which Middy's request type lacks (reported);
    // at run time the validator never reads it.
    .use(validator({ body: Order }) as unknown as MiddlewareObj<OrderEvent>)
    .handler(async (event) => ({ statusCode: 200, body: event.body.sku }))
  const call = (event: unknown) => handler(event as never, createContext()) as Promise<Answer>

  it('runs unchanged and hands the handler the parsed body', async () => {
    const response = await call(events.apiGatewayV1({ body: { sku: 'A-1', quantity: 1 } }))
    expect(response).toMatchObject({ statusCode: 200, body: 'A-1' })
  })

  it("raises a ValidationError that Middy's error handler answers with its status and message", async () => {
    const response = await call(events.apiGatewayV1({ body: { sku: 'A-1', quantity: 0 } }))
    expect(response.statusCode).toBe(400)
    expect(response.body).toMatch(/body did not pass validation/)
  })

  it('answers 415 for a body with no content type', async () => {
    const response = await call(events.apiGatewayV1({ body: '{"sku":"A-1","quantity":1}' }))
    expect(response.statusCode).toBe(415)
  })
})
