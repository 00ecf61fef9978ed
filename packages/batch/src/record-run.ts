import { type Outcome, runSchema, ValidationError } from '@lamina/validator'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { Cutoff, Limiter } from './cutoff.js'
import { RecordDeadlineError } from './errors.js'
import { type BatchLogger, describeThrown, safeIssues } from './failure-log.js'
import { type PayloadFormat, payloadOf } from './payload.js'
import { type BatchSource, itemIdentifierOf } from './sources.js'

/** One invocation's record processing: everything here belongs to that invocation alone. */
export interface RecordRunInput {
  source: BatchSource
  record: (payload: unknown, meta: unknown) => unknown
  schema: StandardSchemaV1 | undefined
  payload: PayloadFormat
  context: unknown
  cutoff: Cutoff
  limiter: Limiter | undefined
  logger: BatchLogger
}

export interface RecordRun {
  /**
   * Runs the record at `index`: returns what its callback returned (a promise when any step is
   * async), or throws / rejects once the failure is in `failures` and logged.
   */
  handle(record: unknown, index: number): unknown
  /** What each record that reached `handle` failed with, by index. */
  readonly failures: Map<number, unknown>
  /** Indexes of the records the deadline kept from starting. */
  readonly notStarted: number[]
}

function invalid(issues: ValidationError['issues']): ValidationError {
  // No stack: the fault is in the record, not in code a stack would point to.
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new ValidationError('The record did not match the schema; see issues.', { parts: ['event'], issues })
  } finally {
    Error.stackTraceLimit = limit
  }
}

export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

function outputOf(outcome: Outcome): unknown {
  if (!outcome.ok) throw invalid(outcome.issues)
  return outcome.value
}

/** The schema's output, or a promise of it (an async schema); throws for a payload that fails it. */
function validate(schema: StandardSchemaV1, payload: unknown): unknown {
  const outcome = runSchema(schema, payload, [])
  return isThenable(outcome) ? Promise.resolve(outcome).then(outputOf) : outputOf(outcome)
}

/** Releases the slot once `result` settles (at once when it is not a promise). */
function releaseAfter(result: unknown, release: () => void): unknown {
  if (!isThenable(result)) {
    release()
    return result
  }
  return Promise.resolve(result).finally(release)
}

/** `instanceof` that a Proxy with a throwing `getPrototypeOf` trap cannot turn into a throw. */
function isInstance<T>(value: unknown, type: abstract new (...args: never[]) => T): value is T {
  try {
    return value instanceof type
  } catch {
    return false
  }
}

const isReadableError = (value: unknown): value is Error => {
  try {
    return value instanceof Error && typeof value.message === 'string'
  } catch {
    return false
  }
}

/**
 * Powertools reads `error.message` on whatever a record handler throws: a thrown `null`, a string
 * or a hostile Proxy would fail the whole batch there. Those travel wrapped; the original stays in
 * `failures` and on `cause`.
 */
function throwable(value: unknown): Error {
  return isReadableError(value)
    ? value
    : new Error(
        `The record callback threw a non-Error value (${describeThrown(value).message}); throw an Error instead.`,
        {
          cause: value,
        },
      )
}

export function startRecordRun(input: RecordRunInput): RecordRun {
  const failures = new Map<number, unknown>()
  const notStarted: number[] = []
  const { source, cutoff, logger, schema, context } = input
  // One signal for the batch, made up front: a data property on each record's meta. A getter
  // instead would have to be built per record, and an object literal with an accessor takes
  // about 1.5 µs to make where a plain one takes nanoseconds.
  const signal = cutoff.signal

  const report = (index: number, itemIdentifier: string | undefined, error: unknown, payload: unknown) => {
    failures.set(index, error)
    const where = { itemIdentifier, recordIndex: index }
    if (isInstance(error, RecordDeadlineError)) {
      if (error.started)
        logger.warn('Batch record still running at the deadline', { ...where, error: describeThrown(error) })
      else notStarted.push(index)
    } else if (isInstance(error, ValidationError)) {
      logger.warn('Batch record is invalid', {
        ...where,
        error: { name: error.name, message: error.message },
        ...(error.issues.length > 0 ? { issues: safeIssues(error.issues, payload) } : {}),
      })
    } else {
      logger.error('Batch record failed', { ...where, error: describeThrown(error) })
    }
  }

  const fail = (index: number, itemIdentifier: string | undefined, error: unknown, payload: unknown): never => {
    report(index, itemIdentifier, error, payload)
    throw throwable(error)
  }

  // One promise per invocation that rejects at the cutoff: racing it costs a record no listener.
  const reached = new Promise<never>((_, reject) => {
    if (cutoff.stopped) reject(new RecordDeadlineError(true))
    else cutoff.onStop(() => reject(new RecordDeadlineError(true)))
  })
  reached.catch(() => undefined)

  /** Hands the checked value to the callback; a promise it returns races the cutoff. */
  const start = (record: unknown, index: number, itemIdentifier: string | undefined, value: unknown): unknown => {
    // Checked last, just before the callback: a record the cutoff caught here never started.
    if (cutoff.stopped) throw new RecordDeadlineError(false)
    const returned = input.record(value, {
      source,
      record,
      index,
      itemIdentifier: itemIdentifier ?? '',
      signal,
      context,
    })
    return isThenable(returned) ? Promise.race([returned, reached]) : returned
  }

  /** Checks the decoded payload, then starts the record: synchronous when the schema is. */
  const checkAndStart = (record: unknown, index: number, itemIdentifier: string | undefined, payload: unknown) => {
    const value = schema ? validate(schema, payload) : payload
    return isThenable(value)
      ? Promise.resolve(value).then((checked) => start(record, index, itemIdentifier, checked))
      : start(record, index, itemIdentifier, value)
  }

  /**
   * Decode, validate and hand over one record. One whose steps are all synchronous (JSON or text,
   * a sync schema, a sync callback) makes no promise and no closure: most records of most batches.
   */
  const process = (record: unknown, index: number, itemIdentifier: string | undefined): unknown => {
    let payload: unknown
    let result: unknown
    try {
      payload = payloadOf(source, record, input.payload)
      result = isThenable(payload)
        ? // A DynamoDB change: its images are read by a module loaded on first use.
          Promise.resolve(payload).then((decoded) => {
            payload = decoded
            return checkAndStart(record, index, itemIdentifier, decoded)
          })
        : checkAndStart(record, index, itemIdentifier, payload)
    } catch (error) {
      return fail(index, itemIdentifier, error, payload)
    }
    return isThenable(result)
      ? Promise.resolve(result).then(undefined, (error: unknown) => fail(index, itemIdentifier, error, payload))
      : result
  }

  /** Runs the record in a slot of the limiter, freed once it settles. */
  const processHolding = (release: () => void, record: unknown, index: number, itemIdentifier: string | undefined) => {
    try {
      return releaseAfter(process(record, index, itemIdentifier), release)
    } catch (error) {
      release()
      throw error
    }
  }

  const handle = (record: unknown, index: number): unknown => {
    const itemIdentifier = itemIdentifierOf(source, record)
    if (cutoff.stopped) return fail(index, itemIdentifier, new RecordDeadlineError(false), undefined)
    const { limiter } = input
    if (!limiter) return process(record, index, itemIdentifier)
    // A free slot is taken at once: records that finish synchronously never wait on a promise.
    const release = limiter.tryAcquire()
    if (release) return processHolding(release, record, index, itemIdentifier)
    return limiter.wait().then(
      (slot) => processHolding(slot, record, index, itemIdentifier),
      () => fail(index, itemIdentifier, new RecordDeadlineError(false), undefined),
    )
  }

  return { handle, failures, notStarted }
}
