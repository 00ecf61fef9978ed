// The example's function on all three platforms, through the conformance runners: the same
// answers from Lambda (API Gateway v2 events), @lamina/azure and @lamina/gcp on the framework's server.
import { app } from '@azure/functions'
import { getFunction } from '@google-cloud/functions-framework/testing'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type Answer, type Platforms, platforms } from '../../../test/conformance/platforms.js'
import type { ConformanceRequest } from '../../../test/conformance/table.js'
import { handler, timeoutMs } from '../src/app.js'

let run: Platforms
beforeAll(async () => {
  vi.spyOn(console, 'log').mockImplementation(() => {})
  run = await platforms('portable-api', handler, timeoutMs)
})
afterAll(async () => {
  await run.close()
  vi.restoreAllMocks()
})

const json = { 'content-type': 'application/json' }
const requests: ConformanceRequest[] = [
  {
    name: 'a product',
    method: 'GET',
    target: '/products/lamina-mug',
    headers: { origin: 'https://shop.example' },
    expect: { status: 200, headers: { 'access-control-allow-origin': 'https://shop.example' } },
  },
  { name: 'no such product', method: 'GET', target: '/products/teapot', expect: { status: 404 } },
  {
    name: 'an order',
    method: 'POST',
    target: '/orders',
    headers: json,
    body: JSON.stringify({ sku: 'lamina-mug', quantity: 3 }),
    expect: { status: 201, json: { sku: 'lamina-mug', quantity: 3, totalCents: 3600 } },
  },
  {
    name: 'an invalid order',
    method: 'POST',
    target: '/orders',
    headers: json,
    body: JSON.stringify({ sku: 'lamina-mug', quantity: 0 }),
    expect: { status: 400 },
  },
  {
    name: 'a preflight',
    method: 'OPTIONS',
    target: '/orders',
    headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    expect: { status: 204 },
  },
]

const comparable = (answer: Answer) => ({
  status: answer.status,
  type: answer.headers.get('content-type'),
  origin: answer.headers.get('access-control-allow-origin'),
  body: answer.body.toString('utf8'),
})

describe('portable-api: one function, three platforms', () => {
  it.each(requests)('$method $target ($name): the same answer everywhere', async (request) => {
    // Act
    const [lambda, azure, google] = await Promise.all([
      run.viaLambda(request),
      run.viaAzure(request),
      run.viaGoogle(request),
    ])

    // Assess
    expect(lambda.status).toBe(request.expect.status)
    for (const [name, value] of Object.entries(request.expect.headers ?? {}))
      expect(lambda.headers.get(name)).toBe(value)
    if (request.expect.json !== undefined) expect(JSON.parse(lambda.body.toString('utf8'))).toEqual(request.expect.json)
    expect(comparable(azure)).toEqual(comparable(lambda))
    expect(comparable(google)).toEqual(comparable(lambda))
  })

  it('registers the Google entry point as "orders"', async () => {
    // Act
    await import('../src/google.js')

    // Assess
    expect(getFunction('orders')).toBeTypeOf('function')
  })

  it('registers the Azure function for every path and method, anonymously', async () => {
    // Prepare
    const http = vi.spyOn(app, 'http').mockImplementation(() => {})

    // Act
    await import('../src/azure.js')

    // Assess
    expect(http).toHaveBeenCalledWith(
      'orders',
      expect.objectContaining({ route: '{*path}', authLevel: 'anonymous', handler: expect.any(Function) }),
    )
  })

  it('exports the Lambda handler as it is', async () => {
    const lambda = await import('../src/handler.js')
    expect(lambda.handler).toBe(handler)
  })
})
