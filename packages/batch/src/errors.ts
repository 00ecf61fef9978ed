/**
 * A record that the deadline stopped: never started (`started: false`), or still running when
 * the cutoff came. Either way it is reported as a failure, so the event source delivers it again.
 */
export class RecordDeadlineError extends Error {
  override readonly name = 'RecordDeadlineError'

  constructor(readonly started: boolean) {
    super(
      started
        ? 'The record was still running at the batch deadline (marginMs before the invocation times out); it is reported as failed and will be delivered again. Make it faster, honour meta.signal, or raise the function timeout.'
        : 'The record was not started before the batch deadline (marginMs before the invocation times out); it is reported as failed and will be delivered again. Raise concurrency or the function timeout, or lower the batch size.',
    )
  }
}

/** Thrown when every record failed (unless `throwOnFullBatchFailure: false`): Lambda retries the whole batch. */
export class BatchFailureError extends Error {
  override readonly name = 'BatchFailureError'

  constructor(
    /** What each record failed with, in record order. */
    readonly recordErrors: unknown[],
  ) {
    super(
      `All ${recordErrors.length} records of the batch failed, so the batch is thrown back for Lambda to retry whole (each failure is logged). ` +
        'Fix the cause, or pass throwOnFullBatchFailure: false to report them as batchItemFailures instead.',
      { cause: recordErrors[0] },
    )
  }
}

/** Thrown when a failed record has no message id or sequence number: it cannot be reported alone. */
export class UnidentifiedRecordError extends Error {
  override readonly name = 'UnidentifiedRecordError'

  constructor(index: number) {
    super(
      `Record ${index} failed and has no message id or sequence number, so it cannot be reported as a batchItemFailure; ` +
        'the whole batch is thrown back for Lambda to retry. Events from Lambda always carry one: check how this event was made.',
    )
  }
}
