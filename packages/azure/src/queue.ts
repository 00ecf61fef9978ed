import type { InvocationContext } from '@azure/functions'
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda'
import { type DeadlineOptions, lambdaContext, readTimeout } from './lambda-context.js'
import { assertHandler } from './to-azure.js'

/** A Lamina handler of SQS events, such as `batch({ source: 'sqs', … })` or a `wrap<SQSEvent>()` chain. */
export type SqsLambdaHandler = (event: SQSEvent, context: Context & { invocationContext: InvocationContext }) => unknown

export type AzureQueueHandler = (message: unknown, context: InvocationContext) => Promise<void>

export interface ToAzureQueueOptions extends DeadlineOptions {}

// With `cardinality: 'many'` (Service Bus, Event Hubs) every trigger-metadata field is an array,
// one entry per message; Service Bus names them `<field>Array` too. Either way: entry `index`.
function metadata(context: InvocationContext, key: string, index: number): unknown {
  const all = context.triggerMetadata ?? {}
  const value = all[`${key}Array`] ?? all[key]
  return Array.isArray(value) ? value[index] : value
}

const epochText = (value: unknown): string => {
  const time = value instanceof Date ? value.getTime() : Date.parse(String(value))
  return Number.isNaN(time) ? '' : String(time)
}

// The host hands a JSON message over already parsed (Storage Queue) and bytes as a Buffer: the
// SQS record's body is the text the sender sent.
function bodyText(message: unknown): string {
  if (typeof message === 'string') return message
  if (message instanceof Uint8Array) return Buffer.from(message).toString('utf8')
  return JSON.stringify(message) ?? ''
}

function toRecord(message: unknown, context: InvocationContext, index: number): SQSRecord {
  const id = metadata(context, 'messageId', index) ?? metadata(context, 'id', index)
  const count = metadata(context, 'deliveryCount', index) ?? metadata(context, 'dequeueCount', index)
  const sent = metadata(context, 'enqueuedTimeUtc', index) ?? metadata(context, 'insertionTime', index)
  return {
    messageId: id === undefined ? `${context.invocationId}:${index}` : String(id),
    receiptHandle: '',
    body: bodyText(message),
    attributes: {
      ApproximateReceiveCount: count === undefined ? '1' : String(count),
      SentTimestamp: epochText(sent),
      SenderId: '',
      ApproximateFirstReceiveTimestamp: '',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: `azure:${context.functionName}`,
    awsRegion: '',
  }
}

/** Thrown when records failed: Azure has no partial batch answer, so the host must retry the delivery. */
export class AzureQueueFailureError extends Error {
  constructor(readonly messageIds: string[]) {
    super(
      `${messageIds.length} message(s) failed (${messageIds.join(', ')}); the Azure host retries the delivery ` +
        '(after maxDequeueCount / maxDeliveryCount attempts it goes to the poison / dead-letter queue).',
    )
    this.name = 'AzureQueueFailureError'
  }
}

/**
 * An Azure Storage Queue or Service Bus trigger handler (`app.storageQueue`, `app.serviceBusQueue`)
 * that hands the message(s) to a Lamina SQS handler as an SQS event, one record per message.
 */
export function toAzureQueue(handler: SqsLambdaHandler, options?: ToAzureQueueOptions): AzureQueueHandler {
  assertHandler(handler, 'toAzureQueue()')
  const timeoutMs = readTimeout(options, 'toAzureQueue()')
  return async (message, invocationContext) => {
    const messages = Array.isArray(message) ? message : [message]
    const event: SQSEvent = { Records: messages.map((each, index) => toRecord(each, invocationContext, index)) }
    const context = {
      ...lambdaContext(invocationContext.invocationId, invocationContext.functionName, timeoutMs),
      invocationContext,
    }
    const result = (await handler(event, context)) as { batchItemFailures?: { itemIdentifier: string }[] } | undefined
    const failed = result?.batchItemFailures ?? []
    if (failed.length > 0) throw new AzureQueueFailureError(failed.map((failure) => failure.itemIdentifier))
  }
}
