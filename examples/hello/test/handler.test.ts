import { createContext, events } from '@lamina/testing'
import { describe, expect, test } from 'vitest'
import { handler } from '../src/handler.js'

describe('hello example', () => {
  test('greets the name from the query string and tags the response', async () => {
    const response = await handler(events.apiGatewayV2({ query: { name: 'Ada' } }), createContext())
    expect(response.statusCode).toBe(200)
    expect(JSON.parse(response.body as string)).toEqual({ message: 'hello, Ada' })
    expect(response.headers?.['x-powered-by']).toBe('lamina')
  })

  test('defaults to "world" and rejects over-long names with 400', async () => {
    const plain = await handler(events.apiGatewayV2(), createContext())
    expect(JSON.parse(plain.body as string).message).toBe('hello, world')
    const long = await handler(events.apiGatewayV2({ query: { name: 'x'.repeat(65) } }), createContext())
    expect(long.statusCode).toBe(400)
  })
})
