import { wrap } from '@lamina/core'
import {
  type EventBridgeEvent,
  eventBridge,
  type PublishResult,
  publisher,
  type ScheduledRuleEvent,
  type SchedulerContext,
  scheduled,
  schedulerInput,
} from '@lamina/events'
import type { EventBridgeEvent as AwsEventBridgeEvent, ScheduledEvent } from 'aws-lambda'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'

const OrderPlaced = z.object({ orderId: z.string(), total: z.number(), currency: z.string().default('EUR') })

describe('eventBridge() types', () => {
  it("narrows event.detail to the schema's output, and detail-type to the literal given", () => {
    wrap<AwsEventBridgeEvent<string, unknown>>()
      .use(eventBridge({ detailType: 'Order Placed', detail: OrderPlaced }))
      .handler(async (event) => {
        expectTypeOf(event.detail).toEqualTypeOf<{ orderId: string; total: number; currency: string }>()
        expectTypeOf(event['detail-type']).toEqualTypeOf<'Order Placed'>()
        expectTypeOf(event.source).toBeString()
        // @ts-expect-error: not a field of the schema
        event.detail.customerId
        // @ts-expect-error: the detail type is the literal given, not any string
        const other: 'Order Shipped' = event['detail-type']
        return other
      })
  })

  it('a list of detail types and a source become unions and literals; valibot schemas work the same', () => {
    wrap<AwsEventBridgeEvent<string, unknown>>()
      .use(
        eventBridge({
          detailType: ['Order Placed', 'Order Paid'],
          source: 'shop.orders',
          detail: v.object({ orderId: v.string() }),
        }),
      )
      .handler(async (event) => {
        expectTypeOf(event['detail-type']).toEqualTypeOf<'Order Placed' | 'Order Paid'>()
        expectTypeOf(event.source).toEqualTypeOf<'shop.orders'>()
        expectTypeOf(event.detail).toEqualTypeOf<{ orderId: string }>()
      })
  })

  it('without a detail schema, detail is unknown; the outer handler still takes the raw event', () => {
    const handler = wrap<AwsEventBridgeEvent<string, unknown>>()
      .use(eventBridge())
      .handler(async (event) => {
        expectTypeOf(event.detail).toBeUnknown()
        expectTypeOf(event['detail-type']).toBeString()
        return 1
      })
    expectTypeOf(handler).parameter(0).toEqualTypeOf<AwsEventBridgeEvent<string, unknown>>()
  })

  it("is interchangeable with @types/aws-lambda's EventBridgeEvent", () => {
    expectTypeOf<EventBridgeEvent<'A', { a: 1 }>>().toExtend<AwsEventBridgeEvent<'A', { a: 1 }>>()
    expectTypeOf<AwsEventBridgeEvent<'A', { a: 1 }>>().toExtend<EventBridgeEvent<'A', { a: 1 }>>()
  })

  it('refuses a value that is not a Standard Schema as detail', () => {
    // @ts-expect-error: a plain object is not a schema
    eventBridge({ detail: { orderId: 'string' } })
    // @ts-expect-error: detailType takes strings
    eventBridge({ detailType: 42 })
  })
})

describe('scheduled() types', () => {
  it('types the event as a scheduled rule event', () => {
    wrap<ScheduledEvent>()
      .use(scheduled())
      .handler(async (event) => {
        expectTypeOf(event).toEqualTypeOf<ScheduledRuleEvent>()
        expectTypeOf(event['detail-type']).toEqualTypeOf<'Scheduled Event'>()
        expectTypeOf(event.source).toEqualTypeOf<'aws.events'>()
        expectTypeOf(event.time).toBeString()
      })
  })
})

describe('schedulerInput() types', () => {
  it("the event is the schema's output; context.scheduler is SchedulerContext | undefined", () => {
    wrap<unknown>()
      .use(schedulerInput(z.object({ report: z.enum(['daily', 'weekly']) })))
      .handler(async (event, context) => {
        expectTypeOf(event).toEqualTypeOf<{ report: 'daily' | 'weekly' }>()
        expectTypeOf(context.scheduler).toEqualTypeOf<SchedulerContext | undefined>()
        expectTypeOf(context.awsRequestId).toBeString()
        // @ts-expect-error: may be undefined (an input without the context attributes)
        context.scheduler.attemptNumber
      })
  })

  it('without a schema the event is unknown', () => {
    wrap<unknown>()
      .use(schedulerInput())
      .handler(async (event) => {
        expectTypeOf(event).toBeUnknown()
      })
  })
})

describe('publisher() types', () => {
  type ShopEvents = {
    'Order Placed': { orderId: string; total: number }
    'Order Shipped': { orderId: string; carrier: 'ups' | 'dhl' }
  }
  const events = publisher<ShopEvents>({ eventBusName: 'shop', source: 'shop.orders' })

  it('types the detail by its detail type, one or many', () => {
    expectTypeOf(events.publish('Order Placed', { orderId: 'o-1', total: 1 })).resolves.toEqualTypeOf<PublishResult>()
    events.publish('Order Shipped', [{ orderId: 'o-1', carrier: 'dhl' }])
    // @ts-expect-error: the detail of another detail type
    events.publish('Order Shipped', { orderId: 'o-1', total: 1 })
    // @ts-expect-error: a detail type the map does not have
    events.publish('Order Lost', { orderId: 'o-1' })
    // @ts-expect-error: a carrier the type does not allow
    events.publish('Order Shipped', { orderId: 'o-1', carrier: 'fedex' })
  })

  it('without a map, any detail type with an object detail', () => {
    const loose = publisher({ eventBusName: 'shop', source: 'shop.orders' })
    loose.publish('Anything', { any: 'thing' })
    // @ts-expect-error: a detail is a JSON object, not a string
    loose.publish('Anything', 'text')
  })
})
