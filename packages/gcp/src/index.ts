export {
  type CloudEventLambdaHandler,
  type GoogleCloudEventHandler,
  type PubSubMessagePublishedData,
  pubSubText,
  type StorageObjectData,
  type ToCloudEventOptions,
  toCloudEvent,
} from './cloud-event.js'
export type { DeadlineOptions } from './lambda-context.js'
export {
  type GoogleHttpHandler,
  type GoogleLambdaContext,
  type HttpLambdaHandler,
  ParsedBodyError,
  type ToGoogleCloudOptions,
  toGoogleCloud,
} from './to-google-cloud.js'
