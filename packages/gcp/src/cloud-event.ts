import type { CloudEvent } from '@google-cloud/functions-framework'
import type { Context } from 'aws-lambda'
import { type DeadlineOptions, lambdaContext, platformFunctionName, readTimeout } from './lambda-context.js'
import { assertHandler } from './to-google-cloud.js'

/** `data` of a `google.cloud.pubsub.topic.v1.messagePublished` event. */
export interface PubSubMessagePublishedData {
  message: {
    /** The payload, base64-encoded: read it with `pubSubText(event)`. */
    data?: string
    attributes?: Record<string, string>
    messageId: string
    publishTime: string
    orderingKey?: string
  }
  subscription: string
}

/** `data` of a `google.cloud.storage.object.v1.*` event (the fields most handlers read). */
export interface StorageObjectData {
  bucket: string
  name: string
  generation?: string
  contentType?: string
  size?: string
  md5Hash?: string
  timeCreated?: string
  updated?: string
  metadata?: Record<string, string>
}

/** A Lamina handler of CloudEvents: the event as the framework delivers it, and a Lambda-shaped context. */
export type CloudEventLambdaHandler<T> = (event: CloudEvent<T>, context: Context) => unknown

export type GoogleCloudEventHandler<T> = (event: CloudEvent<T>) => Promise<void>

export interface ToCloudEventOptions extends DeadlineOptions {}

/**
 * A Functions Framework CloudEvent handler (for `functions.cloudEvent(name, handler)`) that runs a
 * Lamina handler. The event id is the request id. A handler that throws makes the delivery fail,
 * so Pub/Sub or Eventarc delivers it again when retries are on.
 */
export function toCloudEvent<T = unknown>(
  handler: CloudEventLambdaHandler<T>,
  options?: ToCloudEventOptions,
): GoogleCloudEventHandler<T> {
  assertHandler(handler, 'toCloudEvent()')
  const timeoutMs = readTimeout(options, 'toCloudEvent()')
  return async (event) => {
    await handler(event, lambdaContext(event.id, platformFunctionName(), timeoutMs))
  }
}

/** The text of a Pub/Sub message event's payload (UTF-8); `''` for a message with no data. */
export function pubSubText(event: CloudEvent<PubSubMessagePublishedData>): string {
  const data = event.data?.message?.data
  if (data === undefined) return ''
  return Buffer.from(data, 'base64').toString('utf8')
}
