import type { HttpHandler, InvocationContext, StorageQueueHandler } from '@azure/functions'
import { type AzureLambdaContext, toAzure, toAzureQueue } from '@lamina/azure'
import { batch } from '@lamina/batch'
import { wrap } from '@lamina/core'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'

describe('@lamina/azure types', () => {
  it('toAzure turns a wrap() chain into what app.http takes', () => {
    const handler = wrap<APIGatewayProxyEventV2>().handler(async () => ({ statusCode: 200 }))
    expectTypeOf(toAzure(handler)).toExtend<HttpHandler>()
  })

  it('gives the handler the invocation context beside the Lambda one', () => {
    toAzure(async (_event, context) => {
      expectTypeOf(context).toEqualTypeOf<AzureLambdaContext>()
      expectTypeOf(context.invocationContext).toEqualTypeOf<InvocationContext>()
      expectTypeOf(context.awsRequestId).toBeString()
      return { statusCode: 204 }
    })
  })

  it('toAzureQueue turns batch() into a Storage Queue handler', () => {
    const queue = toAzureQueue(batch({ source: 'sqs', schema: z.object({ id: z.string() }), record: async () => {} }))
    expectTypeOf(queue).toExtend<StorageQueueHandler>()
  })

  it('refuses what is not a handler, and unknown options', () => {
    // @ts-expect-error: a handler is a function
    toAzure({ statusCode: 200 })
    // @ts-expect-error: the option is timeoutMs
    toAzure(async () => 1, { timeout: 1000 })
  })
})
