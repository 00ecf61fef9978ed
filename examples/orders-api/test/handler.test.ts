import { type CapturedOutput, captureOutput, createContext, events, setLambdaEnvironment } from '@lamina/testing'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'

let restore: () => void
let handler: typeof import('../src/handler.js').handler
let output: CapturedOutput

beforeAll(async () => {
  // Lambda-like variables without AWS_EXECUTION_ENV: the example reads its local secrets file.
  restore = setLambdaEnvironment({ AWS_EXECUTION_ENV: undefined, POWERTOOLS_SERVICE_NAME: 'orders-api' })
  // Everything Powertools writes (logs on stdout and stderr, EMF on stdout) is kept for the assertions.
  output = captureOutput()
  ;({ handler } = await import('../src/handler.js'))
})
afterAll(() => {
  output.restore()
  restore()
})

const post = (body: unknown) => handler(events.apiGatewayV2({ method: 'POST', path: '/orders', body }), createContext())

describe('orders API example', () => {
  test('prices a valid order with the discount from the secret', async () => {
    const response = await post({ sku: 'lamina-mug', quantity: '3' })
    expect(response.statusCode).toBe(201)
    // 3 × 1200 cents, 10% off (secrets.local.json); quantity coerced from a string by the schema.
    expect(JSON.parse(response.body as string)).toEqual({ sku: 'lamina-mug', quantity: 3, totalCents: 3240 })
  })

  test('answers 404, 400 with field paths, and 400 for malformed JSON, never leaking the secret', async () => {
    const notFound = await post({ sku: 'nope', quantity: 1 })
    expect(notFound.statusCode).toBe(404)
    const invalid = await post({ quantity: -1 })
    expect(invalid.statusCode).toBe(400)
    const paths = JSON.parse(invalid.body as string).issues.map((issue: { path: string[] }) => issue.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['body.sku', 'body.quantity']))
    const malformed = await handler(
      events.apiGatewayV2({ method: 'POST', body: '{"sku":', headers: { 'content-type': 'application/json' } }),
      createContext(),
    )
    expect(malformed.statusCode).toBe(400)
    const everything = [notFound.body, invalid.body, malformed.body, output.text()].join('\n')
    expect(everything).not.toContain('local-pricing-key-123')
  })

  test('writes a structured log line with the order and an EMF metrics document per invocation', async () => {
    const seen = output.records().length
    await post({ sku: 'lamina-shirt', quantity: 1 })
    const json = output.records().slice(seen)
    expect(json.find((entry) => entry.message === 'order priced')).toMatchObject({
      sku: 'lamina-shirt',
      totalCents: 2250,
    })
    expect(json.filter((entry) => entry._aws?.CloudWatchMetrics)).toHaveLength(1)
  })
})
