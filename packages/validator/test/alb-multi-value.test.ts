// An ALB target group with multi-value headers on sends `multiValueHeaders` and
// `multiValueQueryStringParameters` instead of `headers` and `queryStringParameters`.
import { events } from '@lamina/testing'
import { validator } from '@lamina/validator'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { echoFunction } from './helpers.js'

/** An ALB event as a multi-value target group sends it (values still percent-encoded). */
function multiValueAlb(input: {
  headers: Record<string, string[]>
  query?: Record<string, string[]>
  body?: string
}): object {
  const { headers: _, queryStringParameters: __, ...event } = events.alb({ method: 'POST' })
  return {
    ...event,
    multiValueHeaders: input.headers,
    multiValueQueryStringParameters: input.query ?? {},
    body: input.body ?? '',
  }
}

describe('validator on an ALB target group with multi-value headers', () => {
  it('reads the content type, the headers and the query from the multi-value fields', async () => {
    // Prepare
    const { call, seen } = echoFunction(
      validator({
        body: z.object({ sku: z.string() }),
        headers: z.looseObject({ 'x-tenant': z.string() }),
        query: z.object({ tag: z.string(), q: z.string() }),
      }),
    )
    const event = multiValueAlb({
      headers: { 'Content-Type': ['application/json'], 'X-Tenant': ['t-1'], accept: ['a/b', 'c/d'] },
      query: { tag: ['x', 'y'], q: ['a%20b'] },
      body: '{"sku":"A-1"}',
    })
    // Act
    const response = await call(event)
    // Assess
    expect(response.statusCode).toBe(200)
    expect(seen[0]).toMatchObject({
      body: { sku: 'A-1' },
      headers: { 'content-type': 'application/json', 'x-tenant': 't-1', accept: 'a/b, c/d' },
      queryStringParameters: { tag: 'x,y', q: 'a b' },
    })
  })

  it('finds a required header that only the multi-value headers carry', async () => {
    const { call } = echoFunction(validator({ headers: z.object({ 'x-tenant': z.string() }) }))
    const response = await call(multiValueAlb({ headers: { 'x-tenant': ['t-1'] } }))
    expect(response.statusCode).toBe(200)
  })

  it('keeps a multi-value entry that is not a list as it is', async () => {
    const { call } = echoFunction(validator({ headers: z.object({ 'x-tenant': z.literal('t-1') }) }))
    const headers = { 'x-tenant': 't-1' } as unknown as Record<string, string[]>
    const response = await call(multiValueAlb({ headers }))
    expect(response.statusCode).toBe(200)
  })
})
