import { type TimeoutError as CoreTimeoutError, type Middleware, type Request, wrap } from '@lamina/core'
import { TimeoutError, type TimeoutGuardOptions, timeoutGuard } from '@lamina/timeout'
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import { describe, expectTypeOf, test } from 'vitest'

describe('timeoutGuard types', () => {
  test('is a plain middleware: it changes nothing the handler sees', () => {
    const handler = wrap<APIGatewayProxyEventV2>()
      .use(timeoutGuard({ marginMs: 500 }))
      .handler(async (event, _context, { signal }) => {
        expectTypeOf(event).toEqualTypeOf<APIGatewayProxyEventV2>()
        expectTypeOf(signal).toEqualTypeOf<AbortSignal>()
        return { statusCode: 200 }
      })
    expectTypeOf(timeoutGuard()).toEqualTypeOf<Middleware>()
    expectTypeOf(handler).parameter(0).toEqualTypeOf<APIGatewayProxyEventV2>()
  })

  test('response is a value or a (possibly async) function of the request', () => {
    timeoutGuard<APIGatewayProxyStructuredResultV2>({ response: { statusCode: 504 } })
    timeoutGuard({
      response: (request) => {
        expectTypeOf(request).toEqualTypeOf<Request>()
        return { statusCode: 504, body: String(request.context.awsRequestId) }
      },
    })
    timeoutGuard<APIGatewayProxyStructuredResultV2>({ response: async () => ({ statusCode: 504 }) })
    // @ts-expect-error: the response must match the declared response type
    timeoutGuard<APIGatewayProxyStructuredResultV2>({ response: { status: 504 } })
  })

  test('bad options are compile errors', () => {
    // @ts-expect-error: marginMs is a number of milliseconds, not a string
    timeoutGuard({ marginMs: '500' })
    // @ts-expect-error: there is no "margin" option
    timeoutGuard({ margin: 500 })
    // @ts-expect-error: options are an object
    timeoutGuard(500)
    expectTypeOf<TimeoutGuardOptions['marginMs']>().toEqualTypeOf<number | undefined>()
  })

  test('re-exports the core TimeoutError (one class, so instanceof works across packages)', () => {
    expectTypeOf(TimeoutError).toEqualTypeOf<typeof CoreTimeoutError>()
    expectTypeOf(new TimeoutError().statusCode).toEqualTypeOf<number>()
  })
})
