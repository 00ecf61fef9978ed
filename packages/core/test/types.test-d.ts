import {
  type Context,
  type LifecycleHooks,
  lifecycleHooks,
  type Middleware,
  type Phase,
  type PreparedHooks,
  type Request,
  wrap,
} from '@lamina/core'
import type { MiddlewareObj } from '@middy/core'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyHandlerV2,
  Context as AwsContext,
  SQSEvent,
  SQSHandler,
} from 'aws-lambda'
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

// Run twice: by `vitest --typecheck` and `tsc -p tsconfig.json` (exactOptionalPropertyTypes off)
// and by `tsc -p tsconfig.exact.json` (on), so every claim here holds under both settings.
describe('optional properties take undefined, as @types/aws-lambda and Middy write them', () => {
  test('a wrapped handler is assignable to the AWS handler types', () => {
    const http: APIGatewayProxyHandlerV2 = wrap<APIGatewayProxyEventV2>().handler(async () => ({ statusCode: 200 }))
    const sqs: SQSHandler = wrap(async (_event: SQSEvent, _context: AwsContext) => undefined)
    expectTypeOf(http).toBeFunction()
    expectTypeOf(sqs).toBeFunction()
  })

  test('AWS’s Context, tenantId?: string | undefined included, fits Lamina’s', () => {
    const aws = {} as AwsContext
    const lamina: Context = aws
    expectTypeOf(lamina.tenantId).toEqualTypeOf<string | undefined>()
  })

  test('a middleware whose optional fields are explicitly undefined is accepted', () => {
    const maybeName: string | undefined = undefined
    const maybeHook: ((request: Request) => void) | undefined = undefined
    const middleware: Middleware = { name: maybeName, before: maybeHook, after: () => undefined, cleanup: undefined }
    wrap<unknown>()
      .use(middleware)
      .handler(() => 'ok')
  })

  test('lifecycle hooks and wrap options take undefined too; hook parameters stay typed', () => {
    const hooks: LifecycleHooks = {
      invocationStart: undefined,
      hookEnd: (phase, middleware) => {
        expectTypeOf(phase).toEqualTypeOf<Phase>()
        expectTypeOf(middleware).toEqualTypeOf<string>()
      },
    }
    expectTypeOf(lifecycleHooks(hooks)).toEqualTypeOf<PreparedHooks>()
    wrap(() => 'ok', { hooks: lifecycleHooks(hooks) })
    wrap<unknown>({ hooks: lifecycleHooks(hooks) })
    wrap(() => 'ok', { hooks: undefined })
    // @ts-expect-error a lifecycle hook is a function
    lifecycleHooks({ invocationEnd: 'log' })
  })

  test('wrap() takes only prepared hooks: a raw hooks object is a compile error', () => {
    const raw: LifecycleHooks = { invocationEnd: () => undefined }
    // @ts-expect-error pass lifecycleHooks(raw), not raw
    wrap(() => 'ok', { hooks: raw })
    // @ts-expect-error the same in the handler-last form
    wrap<unknown>({ hooks: { handlerStart: () => undefined } })
    // @ts-expect-error an object with the methods but not made by lifecycleHooks() lacks the brand
    const lookalike: PreparedHooks = {
      invocationStart: () => undefined,
      invocationEnd: () => undefined,
      handlerStart: () => undefined,
      handlerEnd: () => undefined,
      observe: (_phase, _name, hook) => hook,
    }
    expectTypeOf(lookalike).toEqualTypeOf<PreparedHooks>()
  })

  test('Middy’s own middleware objects still fit, with their request types', () => {
    const fromMiddy: MiddlewareObj<APIGatewayProxyEventV2> = { before: async () => undefined }
    wrap<APIGatewayProxyEventV2>()
      .use(fromMiddy)
      .handler(() => 'ok')
  })
})
