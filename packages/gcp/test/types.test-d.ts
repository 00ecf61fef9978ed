import type { CloudEventFunction, HttpFunction } from '@google-cloud/functions-framework'
import { wrap } from '@lamina/core'
import { type GoogleLambdaContext, type PubSubMessagePublishedData, toCloudEvent, toGoogleCloud } from '@lamina/gcp'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { describe, expectTypeOf, it } from 'vitest'

describe('@lamina/gcp types', () => {
  it('toGoogleCloud turns a wrap() chain into what functions.http takes', () => {
    const handler = wrap<APIGatewayProxyEventV2>().handler(async () => ({ statusCode: 200 }))
    expectTypeOf(toGoogleCloud(handler)).toExtend<HttpFunction>()
  })

  it('gives the handler the framework request beside the Lambda context', () => {
    toGoogleCloud(async (_event, context) => {
      expectTypeOf(context).toEqualTypeOf<GoogleLambdaContext>()
      expectTypeOf(context.request.rawBody).toEqualTypeOf<Buffer | undefined>()
      return { statusCode: 204 }
    })
  })

  it('toCloudEvent types the event data and fits functions.cloudEvent', () => {
    const handler = toCloudEvent<PubSubMessagePublishedData>(async (event) => {
      expectTypeOf(event.data).toEqualTypeOf<PubSubMessagePublishedData | undefined>()
    })
    expectTypeOf(handler).toExtend<CloudEventFunction<PubSubMessagePublishedData>>()
  })

  it('refuses what is not a handler, and unknown options', () => {
    // @ts-expect-error: a handler is a function
    toGoogleCloud('handler')
    // @ts-expect-error: the option is timeoutMs
    toCloudEvent(async () => {}, { deadline: 1000 })
  })
})
