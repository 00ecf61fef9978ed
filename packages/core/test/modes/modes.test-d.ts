import { Readable } from 'node:stream'
import type { DurableContext, DurableLambdaHandler } from '@aws/durable-execution-sdk-js'
import type { Metrics } from '@aws-lambda-powertools/metrics'
import type { Context, Middleware } from '@lamina/core'
import { type DurableHandlerContext, wrapDurable } from '@lamina/core/durable'
import { type ResponseStream, type StreamResult, wrapStream } from '@lamina/core/stream'
import { describe, expectTypeOf, it } from 'vitest'

const addsUser: Middleware<{ context: { user: { id: string } } }> = { before: () => undefined }
const addsMetrics: Middleware<{ context: { metrics: Metrics } }> = { before: () => undefined }
const parsesBody: Middleware<{ event: { body: { sku: string } } }> = { before: () => undefined }

describe('stream mode types', () => {
  it('is called as Lambda calls a streaming handler: event, response stream, context', () => {
    const handler = wrapStream(async (event: { name: string }) => `hi ${event.name}`)
    expectTypeOf(handler).parameters.toEqualTypeOf<[{ name: string }, ResponseStream, Context]>()
    expectTypeOf(handler).returns.toEqualTypeOf<Promise<void>>()
  })

  it('takes every body the stream can carry, and HTTP answers with one', () => {
    wrapStream(() => 'text')
    wrapStream(() => Buffer.from('bytes'))
    wrapStream(() => Readable.from(['a']))
    wrapStream(() => new ReadableStream<Uint8Array>())
    wrapStream(async function* () {
      yield 'chunk'
    })
    wrapStream(async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: Readable.from(['a']) }))
    expectTypeOf<string>().toExtend<StreamResult>()
  })

  it('refuses an answer the stream cannot carry', () => {
    // @ts-expect-error a number is no stream body
    wrapStream(() => 42)
    // @ts-expect-error an object needs a statusCode to be an HTTP answer
    wrapStream(() => ({ data: 1 }))
    // @ts-expect-error an HTTP answer's body must be streamable too
    wrapStream(() => ({ statusCode: 200, body: { json: true } }))
  })

  it('narrows the handler’s view through .use() in the handler-last form', () => {
    wrapStream<{ body: string }>()
      .use(parsesBody)
      .use(addsUser)
      .handler((event, context) => {
        expectTypeOf(event.body).toEqualTypeOf<{ sku: string }>()
        expectTypeOf(context.user.id).toBeString()
        expectTypeOf(context.awsRequestId).toBeString()
        return event.body.sku
      })
    wrapStream<{ body: string }>()
      .use(parsesBody)
      // @ts-expect-error the handler-last form is a streaming handler too
      .handler(() => 42)
  })
})

describe('durable mode types', () => {
  it('gives the handler the SDK’s DurableContext with the Lambda context’s fields', () => {
    wrapDurable(async (event: { orderId: string }, context) => {
      expectTypeOf(context).toEqualTypeOf<DurableHandlerContext>()
      expectTypeOf(context).toExtend<DurableContext>()
      expectTypeOf(context.awsRequestId).toBeString()
      expectTypeOf(context.durableExecutionArn).toBeString()
      expectTypeOf(context.getRemainingTimeInMillis()).toBeNumber()
      const reserved = await context.step('reserve', async () => event.orderId.length)
      expectTypeOf(reserved).toBeNumber()
      // @ts-expect-error no such durable operation
      context.sleep(5)
      return reserved
    })
  })

  it('is what Lambda calls for a durable function', () => {
    const handler = wrapDurable(async () => 'done')
    expectTypeOf(handler).toExtend<DurableLambdaHandler>()
  })

  it('narrows the context through .use() in the handler-last form', () => {
    wrapDurable<{ orderId: string }>()
      .use(addsMetrics)
      .handler(async (event, context) => {
        expectTypeOf(event.orderId).toBeString()
        expectTypeOf(context.metrics).toEqualTypeOf<Metrics>()
        expectTypeOf(context.step).toEqualTypeOf<DurableContext['step']>()
        return 1
      })
  })
})
