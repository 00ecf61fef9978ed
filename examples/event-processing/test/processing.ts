// What every test of this example shares: s3rver with the two buckets, the handler loaded against
// it (through the real S3 client), and the events S3 and SQS would deliver.
import type { IncomingMessage } from 'node:http'
import { GetObjectCommand, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3'
import {
  type CapturedOutput,
  captureOutput,
  createContext,
  events,
  setLambdaEnvironment,
  startXRayDaemon,
} from '@lamina/testing'
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda'
import { startS3rver } from '../../../test/support/s3rver.js'
import type { OrdersSummary } from '../src/summary.js'

// Locally a bucket is named by its logical id, lower-cased (as `lamina dev` names it).
export const inputBucket = 'inputbucket'
export const outputBucket = 'outputbucket'

const alwaysLiteral = /^[A-Za-z0-9]$/
const literalOrEncoded = /^[-_.~!*'()/]$/

const percentEncode = (character: string) =>
  [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('')

/**
 * A key as an S3 event carries it: URL-encoded, a space as `+`. S3 leaves letters, digits and a
 * few marks (`/`, `-`, `_`, `.`, …) as they are; `encodeMark(i)` may percent-encode those too
 * (a decoder must accept both), everything else is always percent-encoded.
 */
export function encodeKeyAsS3(key: string, encodeMark: (index: number) => boolean = () => false): string {
  return [...key]
    .map((character, index) => {
      if (character === ' ') return '+'
      if (alwaysLiteral.test(character)) return character
      if (literalOrEncoded.test(character) && !encodeMark(index)) return character
      return percentEncode(character)
    })
    .join('')
}

/** The S3 event notification S3 writes to the queue for one new object (the SQS message body). */
export function objectCreated(key: string, options: { bucket?: string; rawKey?: string } = {}) {
  const notification = events.s3([key], { bucket: options.bucket ?? inputBucket })
  const record = notification.Records[0] as (typeof notification.Records)[number]
  record.s3.object.key = options.rawKey ?? encodeKeyAsS3(key)
  return notification
}

/** What S3 sends once when the notification is configured. */
export const s3TestEvent = {
  Service: 'Amazon S3',
  Event: 's3:TestEvent',
  Time: '2026-11-27T17:00:03.917Z',
  Bucket: inputBucket,
  RequestId: '5582815E1AEA5ADF',
  HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE',
}

/** An SQS batch as Lambda delivers it from the queue, one record per body. */
export const sqsBatch = (bodies: unknown[]): SQSEvent => events.sqs(bodies, { queue: 'OrderFilesQueue' })

export const ids = (records: SQSRecord[]) => records.map((record) => record.messageId)
export const failedIds = (response: SQSBatchResponse) => response.batchItemFailures.map((item) => item.itemIdentifier)

export const orderLine = (orderId: string, sku: string, quantity: number, unitPriceCents: number) =>
  JSON.stringify({ orderId, sku, quantity, unitPriceCents })

export interface Processing {
  handler: typeof import('../src/handler.js').handler
  /** Everything the function and Powertools wrote (log lines, EMF documents). */
  output: CapturedOutput
  /** Every request s3rver received, as `METHOD /bucket/key` (decoded). */
  requests: string[]
  putObject(key: string, body: string): Promise<void>
  /** The summary written for an input key, or undefined when there is none. */
  readSummary(inputKey: string): Promise<OrdersSummary | undefined>
  /** Holds every request whose `METHOD /bucket/key` matches until `release()`; `held` counts them. */
  hold(pattern: RegExp): { readonly held: number; reached(count: number): Promise<void>; release(): void }
  /** Calls the handler as Lambda would, with the function's 30 s timeout. */
  invoke(event: SQSEvent): Promise<SQSBatchResponse>
  stop(): Promise<void>
}

const describeRequest = (request: IncomingMessage) => {
  const path = new URL(request.url ?? '/', 'http://s3').pathname
  return `${request.method} ${decodeURIComponent(path)}`
}

/** s3rver with both buckets, the Lambda environment pointing at it, and the handler loaded. */
export async function startProcessing(): Promise<Processing> {
  const requests: string[] = []
  const holds: { pattern: RegExp; waiting: (() => void)[]; onHeld: () => void }[] = []
  const s3rver = await startS3rver({
    buckets: [inputBucket, outputBucket],
    onRequest(request) {
      const described = describeRequest(request)
      requests.push(described)
      const hold = holds.find((candidate) => candidate.pattern.test(described))
      if (hold === undefined) return undefined
      return new Promise<void>((resolve) => {
        hold.waiting.push(resolve)
        hold.onHeld()
      })
    },
  })
  // Tracing on, as deployed (Tracing: Active): segments go to a stand-in X-Ray daemon.
  const xray = await startXRayDaemon()
  const restore = setLambdaEnvironment({
    ...xray.environment,
    ...s3rver.environment,
    OUTPUT_BUCKET: outputBucket,
    POWERTOOLS_SERVICE_NAME: 'event-processing',
    POWERTOOLS_METRICS_NAMESPACE: 'lamina-examples',
  })
  const output = captureOutput()
  const { handler } = await import('../src/handler.js')
  const s3 = s3rver.client()

  return {
    handler,
    output,
    requests,
    async putObject(key, body) {
      await s3.send(new PutObjectCommand({ Bucket: inputBucket, Key: key, Body: body }))
    },
    async readSummary(inputKey) {
      const { summaryKey } = await import('../src/summary.js')
      try {
        const read = await s3.send(new GetObjectCommand({ Bucket: outputBucket, Key: summaryKey(inputKey) }))
        return JSON.parse((await read.Body?.transformToString()) ?? '') as OrdersSummary
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined
        throw error
      }
    },
    hold(pattern) {
      const hold = { pattern, waiting: [] as (() => void)[], onHeld: () => {} }
      holds.push(hold)
      return {
        get held() {
          return hold.waiting.length
        },
        reached(count) {
          return new Promise<void>((resolve) => {
            const check = () => {
              if (hold.waiting.length >= count) resolve()
            }
            hold.onHeld = check
            check()
          })
        },
        release() {
          holds.splice(holds.indexOf(hold), 1)
          for (const resolve of hold.waiting.splice(0)) resolve()
        },
      }
    },
    invoke: (event) => handler(event, createContext({ timeoutMs: 30_000 })),
    async stop() {
      output.restore()
      restore()
      await Promise.all([s3rver.stop(), xray.close()])
    },
  }
}
