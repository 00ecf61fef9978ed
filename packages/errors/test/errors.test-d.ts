import { type Middleware, wrap } from '@lamina/core'
import { createHttpError, errorMapper, type HttpError, NotFound, TooManyRequests } from '@lamina/errors'
import type { ALBEvent, APIGatewayProxyEventV2 } from 'aws-lambda'
import { describe, expectTypeOf, it } from 'vitest'

describe('errors types', () => {
  it('errorMapper changes nothing the handler sees', () => {
    expectTypeOf(errorMapper()).toEqualTypeOf<Middleware>()
    const handler = wrap<ALBEvent>()
      .use(errorMapper({ format: 'problem' }))
      .handler(async (event) => {
        expectTypeOf(event).toEqualTypeOf<ALBEvent>()
        return { statusCode: 200 }
      })
    expectTypeOf(handler).parameter(0).toEqualTypeOf<ALBEvent>()
  })

  it('accepts only the documented formats and string headers', () => {
    // @ts-expect-error: no such format
    errorMapper({ format: 'xml' })
    // @ts-expect-error: header values are strings
    errorMapper({ headers: { 'x-count': 1 } })
    wrap<APIGatewayProxyEventV2>().use(errorMapper({ headers: { vary: 'Origin' } }))
  })

  it('types HttpError and its named subclasses', () => {
    expectTypeOf(createHttpError(404)).toEqualTypeOf<HttpError>()
    expectTypeOf(new NotFound()).toMatchTypeOf<HttpError>()
    expectTypeOf<HttpError['status']>().toBeNumber()
    expectTypeOf<HttpError['headers']>().toEqualTypeOf<Record<string, string> | undefined>()
    new TooManyRequests('Slow down', { headers: { 'Retry-After': '5' } })
    // @ts-expect-error: the named errors fix their own status
    new NotFound(404)
    // @ts-expect-error: headers are strings
    createHttpError(429, 'x', { headers: { 'Retry-After': 5 } })
  })
})
