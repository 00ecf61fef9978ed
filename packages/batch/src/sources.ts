import { eventSource } from '@lamina/core'
import type {
  DynamoDBRecord,
  DynamoDBStreamEvent,
  KinesisStreamEvent,
  KinesisStreamRecord,
  SQSEvent,
  SQSRecord,
} from 'aws-lambda'

/** The event sources that report partial batch failures. */
export type BatchSource = 'sqs' | 'kinesis' | 'dynamodb'

/** Each source's event and record types. */
export interface SourceTypes {
  sqs: { event: SQSEvent; record: SQSRecord }
  kinesis: { event: KinesisStreamEvent; record: KinesisStreamRecord }
  dynamodb: { event: DynamoDBStreamEvent; record: DynamoDBRecord }
}

export type BatchEvent<S extends BatchSource> = SourceTypes[S]['event']
export type BatchRecord<S extends BatchSource> = SourceTypes[S]['record']

const sources = new Set<string>(['sqs', 'kinesis', 'dynamodb'])

/**
 * The source of a batch event, from its shape; `expected` (the `source` option) must match.
 * Throws for anything else: a function wired to the wrong trigger must fail loudly, not report
 * an empty success that deletes the messages.
 */
export function batchSourceOf(event: unknown, expected: BatchSource | undefined): BatchSource | 'empty' {
  const records = (event as { Records?: unknown } | null | undefined)?.Records
  if (Array.isArray(records) && records.length === 0) return 'empty'
  const found = eventSource(event)
  if (!sources.has(found)) {
    throw new TypeError(
      `batch() processes SQS, Kinesis and DynamoDB Streams events, but this event is ${found === 'unknown' ? 'none of those' : `a ${found} event`}. ` +
        'Point only those triggers at this function (with ReportBatchItemFailures on).',
    )
  }
  if (expected !== undefined && found !== expected) {
    throw new TypeError(
      `batch({ source: '${expected}' }) received a ${found} event. Fix the function's trigger, or the source option.`,
    )
  }
  return found as BatchSource
}

/**
 * What Lambda expects back for a failed record: the SQS message id, or the stream record's
 * sequence number. `undefined` when the record has none (a hand-made event), or is not an object.
 */
export function itemIdentifierOf(source: BatchSource, record: unknown): string | undefined {
  const value =
    source === 'sqs'
      ? (record as SQSRecord | undefined)?.messageId
      : source === 'kinesis'
        ? (record as KinesisStreamRecord | undefined)?.kinesis?.sequenceNumber
        : (record as DynamoDBRecord | undefined)?.dynamodb?.SequenceNumber
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** An SQS FIFO queue's ARN ends in `.fifo`: its records must be processed in order. */
export function isFifoQueue(record: unknown): boolean {
  const arn = (record as SQSRecord | undefined)?.eventSourceARN
  return typeof arn === 'string' && arn.endsWith('.fifo')
}
