import type { Logger } from '@aws-lambda-powertools/logger'
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { batch, type S3ObjectEvent, s3Notification } from '@lamina/batch'
import { type Clients, clients, keepAliveAgents } from '@lamina/connections'
import { type Context, wrap } from '@lamina/core'
import { observability } from '@lamina/observability'
import { timeoutGuard } from '@lamina/timeout'
import type { SQSEvent } from 'aws-lambda'
import { maxObjectBytes, recordConcurrency } from './limits.js'
import { MalformedObjectError, summarise, summaryKey } from './summary.js'

const outputBucket = process.env.OUTPUT_BUCKET
if (!outputBucket) {
  throw new Error('OUTPUT_BUCKET is not set: set it in the function environment (template.yaml: !Ref OutputBucket).')
}

// Module scope: one pool of sockets for the container's lifetime, shared by every invocation.
const agents = keepAliveAgents()

/** What the chain below puts on the context, which `batch()` hands each record as `meta.context`. */
type ProcessingContext = Context & { clients: Clients<{ s3: S3Client }>; logger: Logger; metrics: Metrics }

async function summariseObject(object: S3ObjectEvent, context: ProcessingContext, signal: AbortSignal) {
  const { s3 } = context.clients
  const source = { bucket: object.bucket, key: object.key }
  // The key as decoded from the event (S3 sends `+` for a space): what GetObject takes.
  const read = await s3.send(new GetObjectCommand({ Bucket: object.bucket, Key: object.key }), { abortSignal: signal })
  if ((read.ContentLength ?? 0) > maxObjectBytes) {
    // Not read: the connection is closed instead of draining the body.
    await read.Body?.transformToWebStream().cancel()
    throw new MalformedObjectError(
      `s3://${object.bucket}/${object.key} is ${read.ContentLength} bytes, over ${maxObjectBytes}: split it into smaller files.`,
    )
  }
  const summary = summarise((await read.Body?.transformToString()) ?? '', source)
  // The same input always writes the same bytes to the same key: a redelivered message is harmless.
  await s3.send(
    new PutObjectCommand({
      Bucket: outputBucket,
      Key: summaryKey(object.key),
      Body: JSON.stringify(summary),
      ContentType: 'application/json',
    }),
    { abortSignal: signal },
  )
  context.logger.info('summary written', { ...source, output: summaryKey(object.key), orders: summary.orders })
  context.metrics.addMetric('OrdersSummarised', MetricUnit.Count, summary.orders)
}

const summariseRecords = batch({
  source: 'sqs',
  // Each SQS body is an S3 event notification; `s3:TestEvent` gives no objects.
  schema: s3Notification,
  concurrency: recordConcurrency,
  // Larger than the guard's margin: the partial answer is built before the guard would throw.
  marginMs: 1000,
  record: async (objects, meta) => {
    const context = meta.context as ProcessingContext
    for (const object of objects) {
      if (object.eventName.startsWith('ObjectCreated:')) await summariseObject(object, context, meta.signal)
      else context.logger.warn('not an object-created event; skipped', { eventName: object.eventName })
    }
  },
})

/** S3 object-created notifications from SQS: each orders file summarised into the output bucket. */
export const handler = wrap<SQSEvent>()
  .use(timeoutGuard({ marginMs: 300 }))
  .use(observability({ metrics: { namespace: 'lamina-examples' } }))
  .use(
    clients({
      // Region, credentials and endpoint from the environment (AWS_ENDPOINT_URL_S3 points it at a
      // local S3: with an IP address for endpoint, the client puts the bucket in the path).
      s3: () => new S3Client({ requestHandler: agents.requestHandler }),
    }),
  )
  .handler(summariseRecords)
