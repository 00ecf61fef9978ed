import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { type EventBridgeEvent, eventBridge, scheduled } from '@lamina/events'
import { createContext, events } from '@lamina/testing'
import { ValidationError } from '@lamina/validator'
import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, test, vi } from 'vitest'
import { z } from 'zod'

const OrderPlaced = z.object({
  orderId: z.string().min(1),
  total: z.number().positive(),
  currency: z.string().default('EUR'),
})

const orderPlaced = (detail: unknown, source = 'shop.orders') => events.eventBridge('Order Placed', detail, source)

/** Runs the middleware and returns the event the handler got, or the error. */
async function through(middleware: ReturnType<typeof eventBridge>, event: unknown) {
  const handler = vi.fn(async (seen: unknown) => seen)
  const chain = wrap(handler).use(middleware)
  try {
    return { seen: await chain(event, createContext()), error: undefined, called: handler.mock.calls.length }
  } catch (error) {
    return { seen: undefined, error: error as ValidationError, called: handler.mock.calls.length }
  }
}

describe('eventBridge({ detail }): a detail that passes', () => {
  test("the handler gets the schema's output as event.detail; the event Lambda passed in is unchanged", async () => {
    // Prepare
    const event = orderPlaced({ orderId: 'o-1', total: 42 })
    const original = structuredClone(event)

    // Act
    const { seen } = await through(eventBridge({ detail: OrderPlaced }), event)

    // Assess
    expect(seen).toEqual({ ...original, detail: { orderId: 'o-1', total: 42, currency: 'EUR' } })
    expect(event).toEqual(original)
  })

  test('an async schema (valibot pipeAsync) is awaited', async () => {
    const schema = v.objectAsync({
      orderId: v.pipeAsync(
        v.string(),
        v.checkAsync(async (id) => id.startsWith('o-'), 'unknown order id'),
      ),
    })

    const good = await through(eventBridge({ detail: schema }), orderPlaced({ orderId: 'o-2' }))
    const bad = await through(eventBridge({ detail: schema }), orderPlaced({ orderId: 'x-2' }))

    expect((good.seen as EventBridgeEvent).detail).toEqual({ orderId: 'o-2' })
    expect(bad.error?.issues).toEqual([{ path: ['detail', 'orderId'], message: 'unknown order id' }])
  })

  test('any detail that passes reaches the handler as the schema parsed it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1 }),
        fc.double({ min: 0.01, max: 1e9, noNaN: true }),
        async (orderId, total) => {
          const { seen } = await through(eventBridge({ detail: OrderPlaced }), orderPlaced({ orderId, total }))
          expect((seen as EventBridgeEvent).detail).toEqual({ orderId, total, currency: 'EUR' })
        },
      ),
    )
  })
})

describe('eventBridge({ detail }): a detail that fails', () => {
  test('throws a ValidationError before the handler: issues under detail, and the message lists them', async () => {
    // Prepare
    const event = orderPlaced({ orderId: '', total: '42' })

    // Act
    const { error, called } = await through(eventBridge({ detail: OrderPlaced }), event)

    // Assess
    expect(called).toBe(0)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error?.issues.map((issue) => issue.path)).toEqual([
      ['detail', 'orderId'],
      ['detail', 'total'],
    ])
    expect(error?.parts).toEqual(['event'])
    expect(error?.message).toMatch(
      new RegExp(
        `^The detail of the "Order Placed" event ${event.id} did not pass validation: detail\\.orderId: .+; detail\\.total: .+\\. Fix the publisher or the schema; EventBridge retries`,
      ),
    )
  })

  test('issue paths name array positions and object keys (zod and valibot alike); long messages and keys are cut', async () => {
    const lines = z.object({ lines: z.array(z.object({ sku: z.string() })) })
    const longKey = 'k'.repeat(500)
    const long = v.object({
      [longKey]: v.pipe(
        v.string(),
        v.check(() => false, 'm'.repeat(1000)),
      ),
    })

    const fromZod = await through(eventBridge({ detail: lines }), orderPlaced({ lines: [{ sku: 'a' }, { sku: 7 }] }))
    const fromValibot = await through(eventBridge({ detail: long }), orderPlaced({ [longKey]: 'x' }))

    expect(fromZod.error?.issues[0]?.path).toEqual(['detail', 'lines', 1, 'sku'])
    expect(fromZod.error?.message).toContain('detail.lines.1.sku: ')
    const [issue] = fromValibot.error?.issues ?? []
    expect(String(issue?.path[1]).length).toBe(128)
    expect(issue?.message.length).toBe(256)
  })

  test('the message lists at most three issues and counts the rest', async () => {
    const schema = z.object({ a: z.string(), b: z.string(), c: z.string(), d: z.string(), e: z.string() })

    const { error } = await through(eventBridge({ detail: schema }), orderPlaced({}))

    expect(error?.issues).toHaveLength(5)
    expect(error?.message).toContain('detail.c: ')
    expect(error?.message).not.toContain('detail.d: ')
    expect(error?.message).toContain('(and 2 more)')
  })

  test('a detail that is no object at all is one issue at detail', async () => {
    const { error } = await through(eventBridge({ detail: OrderPlaced }), orderPlaced(null))

    expect(error?.issues).toEqual([{ path: ['detail'], message: expect.any(String) }])
    expect(error?.message).toContain('did not pass validation: detail: ')
  })

  test('through errorMapper() the error still reaches Lambda (not an HTTP event), so EventBridge retries', async () => {
    const chain = wrap(async () => 'done')
      .use(errorMapper())
      .use(eventBridge({ detail: OrderPlaced }))

    await expect(chain(orderPlaced({ orderId: 'o-1' }), createContext())).rejects.toBeInstanceOf(ValidationError)
  })
})

describe('eventBridge({ detailType, source })', () => {
  test('an event of another detail type or source is refused, naming what was expected and what came', async () => {
    // Prepare
    const middleware = eventBridge({ detailType: ['Order Placed', 'Order Paid'], source: 'shop.orders' })

    // Act
    const wrongType = await through(middleware, events.eventBridge('Order Shipped', {}, 'shop.orders'))
    const wrongSource = await through(middleware, orderPlaced({}, 'shop.billing'))
    const right = await through(middleware, events.eventBridge('Order Paid', { any: 1 }, 'shop.orders'))

    // Assess
    expect(wrongType.error?.issues).toEqual([
      { path: ['detail-type'], message: 'expected "Order Placed" or "Order Paid", got "Order Shipped"' },
    ])
    expect(wrongType.error?.message).toContain("Check the rule's event pattern")
    expect(wrongSource.error?.issues).toEqual([
      { path: ['source'], message: 'expected "shop.orders", got "shop.billing"' },
    ])
    expect(right.error).toBeUndefined()
    expect((right.seen as EventBridgeEvent).detail).toEqual({ any: 1 })
  })

  test('a very long detail type is cut in the message', async () => {
    const { error } = await through(eventBridge({ detailType: 'A' }), events.eventBridge('B'.repeat(1000), {}))

    expect(error?.issues[0]?.message.length).toBeLessThan(200)
  })

  test('an event that is not from EventBridge (SQS, HTTP, null) is refused with the way out', async () => {
    for (const event of [events.sqs(), events.apiGatewayV2(), null, 'text']) {
      const { error, called } = await through(eventBridge(), event)
      expect(called).toBe(0)
      expect(error).toBeInstanceOf(ValidationError)
      expect(error?.message).toMatch(/^The event is not an EventBridge event .* use validator\(\{ event \}\)/)
    }
  })

  test('with no options any EventBridge event passes unchanged', async () => {
    const event = orderPlaced({ anything: true })

    const { seen } = await through(eventBridge(), event)

    expect(seen).toBe(event)
  })

  test('bad options throw a TypeError at init', () => {
    expect(() => eventBridge(null as never)).toThrow(/takes an options object/)
    expect(() => eventBridge({ detail: {} as never })).toThrow(/not a Standard Schema v1/)
    expect(() => eventBridge({ detailType: [] })).toThrow(/detailType.*non-empty array of strings/)
    expect(() => eventBridge({ source: [1] as never })).toThrow(/source.*non-empty array of strings/)
  })
})

describe('scheduled()', () => {
  test('takes the event a scheduled rule delivers', async () => {
    const event = events.scheduled('nightly-report')

    const { seen } = await through(scheduled() as never, event)

    expect(seen).toBe(event)
  })

  test('refuses any other EventBridge event', async () => {
    const { error } = await through(scheduled() as never, orderPlaced({}))

    expect(error?.issues[0]).toEqual({
      path: ['detail-type'],
      message: 'expected "Scheduled Event", got "Order Placed"',
    })
  })
})
