import { parseJsonSafely, ValidationError } from '@lamina/validator'
import type { DynamoDBRecord, KinesisStreamRecord, SQSRecord } from 'aws-lambda'
import type { BatchSource } from './sources.js'
import { unmarshallImage } from './unmarshall.js'

/** How an SQS body or a Kinesis record's data is read before the schema sees it. */
export type PayloadFormat = 'json' | 'text'

/** A DynamoDB stream record as the schema and the callback see it: images as plain objects. */
export interface DynamoDBChange {
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE' | undefined
  keys: Record<string, unknown>
  /** Absent for REMOVE, or when the stream's view type leaves it out. */
  newImage?: Record<string, unknown> | undefined
  /** Absent for INSERT, or when the stream's view type leaves it out. */
  oldImage?: Record<string, unknown> | undefined
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

// Thrown without a stack: the fault is in the record, not in code a stack would point to.
function badRecord(message: string, cause: unknown): ValidationError {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new ValidationError(message, { parts: ['event'], cause })
  } finally {
    Error.stackTraceLimit = limit
  }
}

function readText(text: string, format: PayloadFormat, what: string): unknown {
  if (format === 'text') return text
  try {
    return parseJsonSafely(text)
  } catch (cause) {
    // The parser's message quotes the input: it stays on `cause`, out of the log line.
    throw badRecord(`The record's ${what} is not valid JSON; send JSON, or use batch({ payload: 'text' }).`, cause)
  }
}

function kinesisText(data: unknown): string {
  try {
    return utf8.decode(Buffer.from(String(data), 'base64'))
  } catch (cause) {
    throw badRecord("The Kinesis record's data is not UTF-8 text; read meta.record.kinesis.data yourself.", cause)
  }
}

async function dynamodbChange(record: DynamoDBRecord): Promise<DynamoDBChange> {
  const stream = record.dynamodb ?? {}
  const change: DynamoDBChange = {
    eventName: record.eventName,
    keys: (await unmarshallImage(stream.Keys)) ?? {},
  }
  const newImage = await unmarshallImage(stream.NewImage)
  const oldImage = await unmarshallImage(stream.OldImage)
  if (newImage !== undefined) change.newImage = newImage
  if (oldImage !== undefined) change.oldImage = oldImage
  return change
}

/**
 * The record's payload: the SQS body or Kinesis data (JSON or text), synchronously, or a promise
 * of a DynamoDB change (its unmarshaller loads on first use).
 */
export function payloadOf(source: BatchSource, record: unknown, format: PayloadFormat): unknown {
  if (source === 'sqs') return readText(String((record as SQSRecord).body), format, 'body')
  if (source === 'kinesis') return readText(kinesisText((record as KinesisStreamRecord).kinesis?.data), format, 'data')
  return dynamodbChange(record as DynamoDBRecord)
}
