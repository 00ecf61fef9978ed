import { type Context, type Middleware, wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { type ValidationError, type ValidationIssue, validator } from '@lamina/validator'
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'

const CreateOrder = z.object({ sku: z.string(), quantity: z.coerce.number().default(1) })
const Query = z.object({ page: z.coerce.number() })
const Path = z.object({ id: z.string() })
const Headers = z.object({ 'x-api-key': z.string() })

describe('validator types', () => {
  it('narrows event.body to the schema output inside .handler()', () => {
    wrap<APIGatewayProxyEventV2>()
      .use(validator({ body: CreateOrder }))
      .handler(async (event) => {
        expectTypeOf(event.body).toEqualTypeOf<{ sku: string; quantity: number }>()
        expectTypeOf(event.body.quantity).toBeNumber()
        // @ts-expect-error: not a property of the schema
        event.body.price
        // The rest of the event keeps its type.
        expectTypeOf(event.rawPath).toBeString()
        return { statusCode: 200 }
      })
  })

  it('narrows queryStringParameters, pathParameters and headers', () => {
    wrap<APIGatewayProxyEventV2>()
      .use(errorMapper())
      .use(validator({ query: Query, path: Path, headers: Headers }))
      .handler(async (event) => {
        expectTypeOf(event.queryStringParameters).toEqualTypeOf<{ page: number }>()
        expectTypeOf(event.pathParameters).toEqualTypeOf<{ id: string }>()
        expectTypeOf(event.headers).toEqualTypeOf<{ 'x-api-key': string }>()
        // @ts-expect-error: page is a number now, not string | undefined
        const page: string = event.queryStringParameters.page
        // body was not validated: still the raw string
        expectTypeOf(event.body).toEqualTypeOf<string | undefined>()
        return page
      })
  })

  it('replaces the whole event with an event schema output', () => {
    const Job = z.object({ Records: z.array(z.object({ body: z.string() })) })
    wrap<SQSEvent>()
      .use(validator({ event: Job }))
      .handler(async (event) => {
        expectTypeOf(event).toEqualTypeOf<{ Records: { body: string }[] }>()
        // @ts-expect-error: messageId was not in the schema, so it is not on the view
        event.Records[0]?.messageId
      })
  })

  it('infers valibot outputs too', () => {
    const Signup = v.object({ email: v.string(), age: v.pipe(v.string(), v.transform(Number)) })
    wrap<APIGatewayProxyEventV2>()
      .use(validator({ body: Signup }))
      .handler(async (event) => {
        expectTypeOf(event.body).toEqualTypeOf<{ email: string; age: number }>()
      })
  })

  it('keeps the outer callable on the raw event', () => {
    const handler = wrap<APIGatewayProxyEventV2>()
      .use(validator({ body: CreateOrder }))
      .handler(async () => ({ statusCode: 200 }))
    expectTypeOf(handler).parameter(0).toEqualTypeOf<APIGatewayProxyEventV2>()
    expectTypeOf(handler).parameter(1).toEqualTypeOf<Context>()
    // @ts-expect-error: Lambda passes the raw event, whose body is a string
    handler({ body: { sku: 'a', quantity: 1 } }, {} as Context)
  })

  it('leaves the event alone when only the response is validated', () => {
    wrap<APIGatewayProxyEventV2>()
      .use(validator({ response: z.object({ statusCode: z.number() }) }))
      .handler(async (event) => {
        expectTypeOf(event).toEqualTypeOf<APIGatewayProxyEventV2>()
      })
  })

  it('declares its flow on the middleware type', () => {
    expectTypeOf(validator({ body: CreateOrder })).toEqualTypeOf<
      Middleware<{ event: { body: { sku: string; quantity: number } } }>
    >()
  })

  it('accepts only Standard Schemas and the documented statuses', () => {
    // @ts-expect-error: a plain object is not a schema
    validator({ body: { sku: 'string' } })
    // @ts-expect-error: only 400 or 422
    validator({ body: CreateOrder, invalidStatus: 418 })
  })

  it('types ValidationError for the error mapper', () => {
    expectTypeOf<ValidationError['issues']>().toEqualTypeOf<ValidationIssue[]>()
    expectTypeOf<ValidationError['statusCode']>().toBeNumber()
    expectTypeOf<ValidationIssue['path']>().toEqualTypeOf<(string | number)[]>()
  })
})
