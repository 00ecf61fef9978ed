import type { StandardSchemaV1 } from '@standard-schema/spec'
import { createLimiter, startCutoff } from './cutoff.js'
import { BatchFailureError, UnidentifiedRecordError } from './errors.js'
import { loggerFor } from './failure-log.js'
import { runInOrder } from './in-order.js'
import { readOptions, type Settings } from './options.js'
import { runAll } from './parallel.js'
import type { PayloadFormat } from './payload.js'
import { startRecordRun } from './record-run.js'
import { type BatchSource, batchSourceOf, isFifoQueue, itemIdentifierOf } from './sources.js'
import type { BatchHandler, BatchOptions, BatchResponse } from './types.js'

const maxLoggedIdentifiers = 100

/**
 * A Lambda handler for SQS, Kinesis and DynamoDB Streams batches, on Powertools Batch: each
 * record's payload checked by `schema` and handed to `record`; failed records reported in
 * `batchItemFailures`, so only they are delivered again.
 */
export function batch<
  const S extends BatchSource = BatchSource,
  TSchema extends StandardSchemaV1 | undefined = undefined,
  const F extends PayloadFormat = 'json',
>(options: BatchOptions<S, TSchema, F>): BatchHandler<S> {
  const settings = readOptions(options)
  // `...rest`, not a third parameter: the handler's arity stays 2, as Lambda's Node 24 runtime requires.
  return (event, context, ...rest) => processBatch(settings, event, context, rest[0])
}

function identifiers(source: BatchSource, records: readonly unknown[], indexes: number[]): (string | undefined)[] {
  return indexes.slice(0, maxLoggedIdentifiers).map((index) => itemIdentifierOf(source, records[index]))
}

async function processBatch(
  settings: Settings,
  event: unknown,
  context: unknown,
  options: unknown,
): Promise<BatchResponse> {
  const source = batchSourceOf(event, settings.source)
  if (source === 'empty') return { batchItemFailures: [] }
  const records = (event as { Records: unknown[] }).Records
  const fifo = source === 'sqs' && (settings.fifo ?? isFifoQueue(records[0])) !== false
  const skipGroupOnError = typeof settings.fifo === 'object' && settings.fifo.skipGroupOnError === true
  const logger = loggerFor(settings.logger, context)
  const cutoff = startCutoff(context, options, settings.marginMs)
  const run = startRecordRun({
    source,
    record: settings.record,
    schema: settings.schema,
    payload: settings.payload,
    context,
    cutoff,
    limiter: fifo || settings.concurrency >= records.length ? undefined : createLimiter(settings.concurrency, cutoff),
    logger,
  })
  let failed: Map<number, unknown>
  try {
    failed = fifo ? await runInOrder(event, records, run, context, skipGroupOnError) : await runAll(records, run)
  } finally {
    cutoff.dispose()
  }

  // Records that failed without reaching the handler: the FIFO processor's short circuit.
  const errors = new Map(run.failures)
  const skipped: number[] = []
  for (const [index, error] of failed) {
    if (errors.has(index)) continue
    errors.set(index, error)
    skipped.push(index)
  }
  if (run.notStarted.length > 0) {
    logger.warn('Batch records not started before the deadline', {
      count: run.notStarted.length,
      itemIdentifiers: identifiers(source, records, run.notStarted),
    })
  }
  if (skipped.length > 0) {
    logger.warn('Batch records not processed: an earlier record of their FIFO queue (or group) failed', {
      count: skipped.length,
      itemIdentifiers: identifiers(
        source,
        records,
        skipped.sort((a, b) => a - b),
      ),
    })
  }
  for (const index of errors.keys()) {
    if (itemIdentifierOf(source, records[index]) === undefined) throw new UnidentifiedRecordError(index)
  }
  if (settings.throwOnFullBatchFailure && errors.size === records.length) {
    throw new BatchFailureError(records.map((_, index) => errors.get(index)))
  }
  // In record order, whatever order they failed in (Powertools lists them as they settle).
  const failedIndexes = [...errors.keys()].sort((a, b) => a - b)
  return {
    batchItemFailures: failedIndexes.map((index) => ({
      itemIdentifier: itemIdentifierOf(source, records[index]) as string,
    })),
  }
}
