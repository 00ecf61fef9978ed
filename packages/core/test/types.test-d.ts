import { type Context, type Middleware, wrap } from '@lamina/core'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import type { APIGatewayProxyEventV2, Context as AwsContext, SQSEvent } from 'aws-lambda'
import { describe, expectTypeOf, test } from 'vitest'

interface Order {
  id: string
  quantity: number
}
const parseOrder = (): Middleware<{ event: { body: Order } }> => ({ before: () => undefined })
const withUser = (): Middleware<{ context: { user: { id: string } } }> => ({ before: () => undefined })
const asOrderEvent = (): Middleware<{ eventType: Order }> => ({ before: () => undefined })

describe('handler first (Middy style)', () => {
  test('the outer callable takes its types from the handler', () => {
    const handler = wrap(async (_event: SQSEvent, _context: AwsContext) => ({ batchItemFailures: [] as string[] }))
    expectTypeOf(handler).parameter(0).toEqualTypeOf<SQSEvent>()
    expectTypeOf(handler).parameter(1).toEqualTypeOf<AwsContext>()
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<{ batchItemFailures: string[] }>()
  })

  test('a handler without a context parameter gets Lamina’s Context; .use() keeps the types', () => {
    const handler = wrap((event: { n: number }) => event.n).use(withUser())
    expectTypeOf(handler).parameter(1).toEqualTypeOf<Context>()
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<number>()
  })

  test('AWS’s own Context is assignable to Lamina’s', () => {
    expectTypeOf<AwsContext>().toExtend<Context>()
  })
})

describe('handler last: .use() transforms the inner view', () => {
  test('an event flow replaces a property; the outer event stays raw', () => {
    const handler = wrap<APIGatewayProxyEventV2>()
      .use(parseOrder())
      .handler(async (event) => {
        expectTypeOf(event.body).toEqualTypeOf<Order>()
        expectTypeOf(event.rawPath).toEqualTypeOf<string>()
        return event.body.quantity
      })
    expectTypeOf(handler).parameter(0).toEqualTypeOf<APIGatewayProxyEventV2>()
    expectTypeOf(handler).parameter(1).toEqualTypeOf<Context>()
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<number>()
  })

  test('a wrong property on the narrowed event is a compile error', () => {
    wrap<APIGatewayProxyEventV2>()
      .use(parseOrder())
      .handler((event) => {
        // @ts-expect-error Order has no `price`
        return event.body.price
      })
  })

  test('context flows add typed properties; unknown ones are errors', () => {
    wrap<SQSEvent>()
      .use(withUser())
      .handler((_event, context) => {
        expectTypeOf(context.user.id).toEqualTypeOf<string>()
        expectTypeOf(context.awsRequestId).toEqualTypeOf<string>()
        // @ts-expect-error no such context property
        return context.tenant
      })
  })

  test('flows compose through several .use() calls and through arrays, in order', () => {
    wrap<APIGatewayProxyEventV2>()
      .use([parseOrder(), withUser()])
      .handler((event, context) => {
        expectTypeOf(event.body).toEqualTypeOf<Order>()
        expectTypeOf(context.user).toEqualTypeOf<{ id: string }>()
      })
    wrap<APIGatewayProxyEventV2>()
      .use(parseOrder())
      .use(asOrderEvent())
      .handler((event) => {
        expectTypeOf(event).toEqualTypeOf<Order>()
        // @ts-expect-error the whole event was replaced
        return event.rawPath
      })
  })

  test('plain Middy middlewares are accepted and change nothing', () => {
    wrap<APIGatewayProxyEventV2>()
      .use(httpJsonBodyParser())
      .use({ before: () => undefined })
      .handler((event, _context, { signal }) => {
        expectTypeOf(event).toEqualTypeOf<APIGatewayProxyEventV2>()
        expectTypeOf(signal).toEqualTypeOf<AbortSignal>()
      })
  })

  test('the handler options carry the signal; a handler reading a missing option is an error', () => {
    wrap<unknown>().handler((_event, _context, options) => {
      expectTypeOf(options.signal).toEqualTypeOf<AbortSignal>()
      // @ts-expect-error only `signal` is passed
      return options.deadline
    })
  })

  test('.use() refuses values that are not middlewares', () => {
    // @ts-expect-error a string is not a middleware
    wrap<unknown>().use('logging')
    // @ts-expect-error hooks must be functions
    wrap((event: unknown) => event).use({ before: 1 })
  })
})
