import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { events, invoke } from '@lamina/testing'
import { ValidationError, validator } from '@lamina/validator'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { bodyOf, echoFunction } from './helpers.js'

const OrderPlaced = z.object({
  'detail-type': z.literal('OrderPlaced'),
  detail: z.object({ orderId: z.string(), total: z.coerce.number() }),
})

describe('event schema for non-HTTP sources', () => {
  it('replaces the event with the schema output', async () => {
    // Prepare
    const handler = wrap<unknown>()
      .use(validator({ event: OrderPlaced }))
      .handler(async (event) => event)
    // Act
    const result = await invoke(handler, events.eventBridge('OrderPlaced', { orderId: 'o-1', total: '12.5' }))
    // Assess: zod stripped every key it was not told about, and coerced the total.
    expect(result).toEqual({ 'detail-type': 'OrderPlaced', detail: { orderId: 'o-1', total: 12.5 } })
  })

  it('throws a ValidationError that reaches Lambda, even behind errorMapper', async () => {
    const handler = wrap<unknown>()
      .use(errorMapper())
      .use(validator({ event: OrderPlaced }))
      .handler(async () => 'unreachable')
    const error = await invoke(handler, events.eventBridge('OrderPlaced', { orderId: 7 })).catch((thrown) => thrown)
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as ValidationError).issues.map((issue) => issue.path)).toEqual([
      ['detail', 'orderId'],
      ['detail', 'total'],
    ])
    expect((error as ValidationError).message).toMatch(/event did not pass validation/)
  })

  it('validates SQS events as a whole', async () => {
    const Batch = z.object({ Records: z.array(z.object({ body: z.string().transform((body) => JSON.parse(body)) })) })
    const handler = wrap<unknown>()
      .use(validator({ event: Batch }))
      .handler(async (event) => (event as z.infer<typeof Batch>).Records.map((record) => record.body))
    await expect(invoke(handler, events.sqs([{ n: 1 }, { n: 2 }]))).resolves.toEqual([{ n: 1 }, { n: 2 }])
  })
})

describe('event schema on HTTP sources', () => {
  it('runs after the parts, on the event with the parsed body', async () => {
    const Claims = z.object({ body: z.object({ n: z.number() }), requestContext: z.object({ stage: z.string() }) })
    const { call, seen } = echoFunction(validator({ body: z.object({ n: z.number() }), event: Claims }))
    const response = await call(events.apiGatewayV1({ body: { n: 3 } }))
    expect(response.statusCode).toBe(200)
    expect(seen[0]).toEqual({ body: { n: 3 }, requestContext: { stage: 'test' } })
  })

  it('answers 400 through errorMapper when the event schema fails', async () => {
    // The raw event is what tells errorMapper the source, not the schema's output.
    const { call } = echoFunction(validator({ event: z.object({ pathParameters: z.object({ id: z.string() }) }) }))
    const response = await call(events.apiGatewayV1({}))
    expect(response.statusCode).toBe(400)
    expect(bodyOf(response).issues?.[0]?.path).toEqual(['pathParameters'])
  })
})

describe('events that are not HTTP events where one was expected', () => {
  it.each([
    ['null', null, /the event is null/],
    ['a string', '{"body":"{}"}', /the event is a string/],
    ['an array', [{ body: '{}' }], /the event is an array/],
    ['a number', 42, /the event is a number/],
    ['a plain object', { body: '{}' }, /no known HTTP shape/],
    ['an SQS event', events.sqs([{}]), /an event from sqs/],
  ])('rejects %s with a clear ValidationError, not a TypeError', async (_label, event, message) => {
    // Prepare
    const handler = wrap<unknown>()
      .use(errorMapper())
      .use(validator({ body: z.object({}) }))
      .handler(async () => 'unreachable')
    // Act
    const error = await invoke(handler, event).catch((thrown: unknown) => thrown)
    // Assess
    expect(error).toBeInstanceOf(ValidationError)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toMatch(/use validator\(\{ event \}\)/)
  })
})

describe('a validator with no schema for the request', () => {
  it('passes every event through untouched', async () => {
    const event = events.sqs([{}])
    const handler = wrap<unknown>()
      .use(validator({}))
      .handler(async (seen) => seen)
    await expect(invoke(handler, event)).resolves.toBe(event)
  })
})
