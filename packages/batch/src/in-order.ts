import { processPartialResponse } from '@aws-lambda-powertools/batch'
import { takeFifoProcessor } from './processors.js'
import type { RecordRun } from './record-run.js'

/**
 * An SQS FIFO batch, through Powertools' `SqsFifoPartialProcessorAsync`: one record at a time,
 * in order, the first failure failing every later record (or, with `skipGroupOnError`, the
 * rest of its message group) without calling the handler. Resolves with what each failed
 * record failed with, by index.
 */
export async function runInOrder(
  event: unknown,
  records: readonly unknown[],
  run: RecordRun,
  context: unknown,
  skipGroupOnError: boolean,
): Promise<Map<number, unknown>> {
  const indexes = new Map<unknown, number>(records.map((record, index) => [record, index]))
  const indexOf = (record: unknown) => indexes.get(record) as number
  const { processor, giveBack } = takeFifoProcessor()
  const processing = {
    context,
    // Thrown by batch() instead, after the failures are known and logged.
    throwOnFullBatchFailure: false,
    ...(skipGroupOnError ? { skipGroupOnError: true } : {}),
  }
  try {
    await processPartialResponse(
      event as never,
      (record: unknown) => run.handle(record, indexOf(record)),
      processor,
      processing as never,
    )
    return new Map(processor.failureMessages.map((record, position) => [indexOf(record), processor.errors[position]]))
  } finally {
    giveBack()
  }
}
