export type { EventBody } from './body.js'
export type { DeadlineOptions } from './lambda-context.js'
export {
  AzureQueueFailureError,
  type AzureQueueHandler,
  type SqsLambdaHandler,
  type ToAzureQueueOptions,
  toAzureQueue,
} from './queue.js'
export { parseSetCookie } from './set-cookie.js'
export {
  type AzureHttpHandler,
  type AzureLambdaContext,
  type HttpLambdaHandler,
  type ToAzureOptions,
  toAzure,
} from './to-azure.js'
