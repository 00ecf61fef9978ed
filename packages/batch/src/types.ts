import type { Context } from '@lamina/core'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { BatchLogger } from './failure-log.js'
import type { DynamoDBChange, PayloadFormat } from './payload.js'
import type { BatchEvent, BatchRecord, BatchSource } from './sources.js'

/** What Lambda reads back: the failed records' ids (`SQSBatchResponse`, `KinesisStreamBatchResponse`, …). */
export interface BatchResponse {
  batchItemFailures: { itemIdentifier: string }[]
}

/** Everything about one record beside its payload. A union over the sources: narrow on `source`. */
export type RecordMeta<S extends BatchSource = BatchSource> = S extends BatchSource
  ? {
      source: S
      /** The record as Lambda delivered it. */
      record: BatchRecord<S>
      /** Its position in the batch. */
      index: number
      /** The message id (SQS) or sequence number (streams): what a failure reports. */
      itemIdentifier: string
      /** Aborts at the batch's cutoff: pass it to what the record calls (`client.send(cmd, { abortSignal })`). */
      signal: AbortSignal
      /** The invocation's context. */
      context: Context
    }
  : never

/** The payload before any schema: the parsed JSON (or text) for SQS and Kinesis, a `DynamoDBChange` for DynamoDB. */
export type RawPayload<S extends BatchSource, F extends PayloadFormat> = S extends 'dynamodb'
  ? DynamoDBChange
  : F extends 'text'
    ? string
    : unknown

/** What the `record` callback gets: the schema's output, or the raw payload without a schema. */
export type RecordPayload<S extends BatchSource, TSchema, F extends PayloadFormat> = TSchema extends StandardSchemaV1
  ? StandardSchemaV1.InferOutput<TSchema>
  : RawPayload<S, F>

/** FIFO queues: in order, stopping at the first failure (or, with `skipGroupOnError`, skipping that group only). */
export type FifoOption = boolean | { skipGroupOnError?: boolean | undefined }

export interface BatchOptions<S extends BatchSource, TSchema, F extends PayloadFormat> {
  /** Processes one record. Throw (or reject) to report it as failed; what it returns is ignored. */
  record: (payload: RecordPayload<S, TSchema, F>, meta: RecordMeta<S>) => unknown
  /** A Standard Schema (zod 4, valibot, …) for each record's payload; a record that fails it is a failed item. */
  schema?: TSchema
  /** The one source this function serves; any other event is refused. Default: any of the three. */
  source?: S | undefined
  /** How SQS bodies and Kinesis data are read: `'json'` (default) or `'text'`. DynamoDB images are always objects. */
  payload?: F | undefined
  /** How many records run at once. Default: all of them (Powertools' default). */
  concurrency?: number | undefined
  /** SQS FIFO ordering. Default: on when the queue's ARN ends in `.fifo`. */
  fifo?: ('sqs' extends S ? FifoOption : never) | undefined
  /** Throw when every record failed, so Lambda retries the batch whole. Default true. */
  throwOnFullBatchFailure?: boolean | undefined
  /** How long before the invocation's deadline records stop, in ms, to leave time to answer. Default 1000. */
  marginMs?: number | undefined
  /** Where failed records are logged. Default: `context.logger` (set by `logging()`), else JSON lines on the console. */
  logger?: BatchLogger | undefined
}

/**
 * The Lambda handler `batch()` returns. It also runs inside `wrap()`: as `wrap(handler)` or
 * `.handler(handler)`, it takes the chain's signal (a timeout guard's margin included).
 */
export type BatchHandler<S extends BatchSource> = (
  event: BatchEvent<S>,
  context: Context,
  ...rest: unknown[]
) => Promise<BatchResponse>
