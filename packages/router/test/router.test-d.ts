import { type Context, wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { type PathParameters, type RouteEvent, type RouterAnswer, router } from '@lamina/router'
import { validator } from '@lamina/validator'
import type { APIGatewayProxyEventV2, APIGatewayProxyHandlerV2 } from 'aws-lambda'
import { describe, expectTypeOf, test } from 'vitest'
import { z } from 'zod'

describe('path parameters typed from the route string', () => {
  test('two parameters, no annotation', () => {
    router<APIGatewayProxyEventV2>().get('/users/{id}/orders/{orderId}', (event) => {
      expectTypeOf(event.pathParameters).toEqualTypeOf<{ id: string; orderId: string }>()
      expectTypeOf(event.rawPath).toEqualTypeOf<string>()
      // @ts-expect-error the route has no parameter "userId"
      event.pathParameters.userId
      return { statusCode: 200 }
    })
  })

  test('a greedy {proxy+}', () => {
    router().get('/files/{proxy+}', (event) => {
      expectTypeOf(event.pathParameters).toEqualTypeOf<{ proxy: string }>()
      // @ts-expect-error the greedy parameter is named without its "+"
      event.pathParameters['proxy+']
      return { statusCode: 200 }
    })
  })

  test('a static route has no parameters', () => {
    router().post('/users', (event) => {
      expectTypeOf(event.pathParameters).toEqualTypeOf<{}>()
      // @ts-expect-error a static route has no parameter "id"
      event.pathParameters.id
    })
  })

  test('every registration method, and route(method, …), type the parameters the same way', () => {
    router()
      .put('/a/{x}', (event) => expectTypeOf(event.pathParameters).toEqualTypeOf<{ x: string }>())
      .patch('/a/{x}', (event) => expectTypeOf(event.pathParameters).toEqualTypeOf<{ x: string }>())
      .delete('/a/{x}', (event) => expectTypeOf(event.pathParameters).toEqualTypeOf<{ x: string }>())
      .options('/a/{x}', (event) => expectTypeOf(event.pathParameters).toEqualTypeOf<{ x: string }>())
      .head('/a/{x}', (event) => expectTypeOf(event.pathParameters).toEqualTypeOf<{ x: string }>())
      .any('/b/{y}', (event) => expectTypeOf(event.pathParameters).toEqualTypeOf<{ y: string }>())
      .route('GET', '/c/{z}', (event) => expectTypeOf(event.pathParameters).toEqualTypeOf<{ z: string }>())
    // @ts-expect-error TRACE is not a route method
    router().route('TRACE', '/', () => undefined)
  })

  test('PathParameters and RouteEvent name the same types for users', () => {
    expectTypeOf<PathParameters<'/u/{id}/{proxy+}'>>().toEqualTypeOf<{ id: string; proxy: string }>()
    expectTypeOf<RouteEvent<'/u/{id}', APIGatewayProxyEventV2>['pathParameters']>().toEqualTypeOf<{ id: string }>()
    expectTypeOf<RouteEvent<'/u/{id}', APIGatewayProxyEventV2>['rawPath']>().toEqualTypeOf<string>()
  })
})

describe("a route's own middlewares", () => {
  test('a route’s validator narrows that route’s event only', () => {
    router<APIGatewayProxyEventV2>()
      .post('/users/{id}/orders', [validator({ body: z.object({ sku: z.string() }) })], (event) => {
        expectTypeOf(event.body).toEqualTypeOf<{ sku: string }>()
        expectTypeOf(event.pathParameters).toEqualTypeOf<{ id: string }>()
        // @ts-expect-error the body schema has no "price"
        event.body.price
        return { statusCode: 201 }
      })
      .get('/users/{id}', (event) => {
        expectTypeOf(event.body).toEqualTypeOf<string | undefined>()
        return { statusCode: 200 }
      })
  })

  test('a path schema replaces the typed parameters with its output', () => {
    router().get('/users/{id}', [validator({ path: z.object({ id: z.coerce.number() }) })], (event) => {
      expectTypeOf(event.pathParameters).toEqualTypeOf<{ id: number }>()
    })
  })

  test('a wrap() chain typed with RouteEvent is a route handler; one expecting other parameters is not', () => {
    const route = wrap<RouteEvent<'/users/{id}', APIGatewayProxyEventV2>>()
      .use(validator({ query: z.object({ page: z.coerce.number() }) }))
      .handler(async (event) => {
        expectTypeOf(event.queryStringParameters.page).toEqualTypeOf<number>()
        return { statusCode: 200, body: event.pathParameters.id }
      })
    router<APIGatewayProxyEventV2>().get('/users/{id}', route)
    const other = wrap<RouteEvent<'/users/{userId}', APIGatewayProxyEventV2>>().handler(async () => ({
      statusCode: 200,
    }))
    // @ts-expect-error the chain expects the parameter "userId", the route gives "id"
    router<APIGatewayProxyEventV2>().get('/users/{id}', other)
  })
})

describe('the router is a handler', () => {
  test('inside wrap<Event>(): the outer handler takes the raw event and answers what the routes answer', () => {
    const app = router<APIGatewayProxyEventV2>()
      .get('/a', () => ({ statusCode: 200, body: 'a' }))
      .get('/b', async () => ({ statusCode: 201, body: 'b' }))
    const handler = wrap<APIGatewayProxyEventV2>().use(errorMapper()).handler(app)
    expectTypeOf(handler).parameter(0).toEqualTypeOf<APIGatewayProxyEventV2>()
    expectTypeOf(handler).returns.resolves.toEqualTypeOf<
      RouterAnswer | { statusCode: number; body: string } | { statusCode: number; body: string }
    >()
    // Assignable to the handler type AWS's own types declare for an HTTP API.
    const typed: APIGatewayProxyHandlerV2 = handler
    expectTypeOf(typed).toBeFunction()
  })

  test('wrap(app), Middy style, takes the router’s event and context', () => {
    const handler = wrap(router().get('/a', () => ({ statusCode: 200, body: '' })))
    expectTypeOf(handler).parameter(1).toEqualTypeOf<Context>()
  })

  test('a router for one source is no handler for another', () => {
    const app = router<APIGatewayProxyEventV2>()
    // @ts-expect-error an SQS chain cannot hand its events to an HTTP router
    wrap<{ Records: unknown[] }>().handler(app)
  })
})
