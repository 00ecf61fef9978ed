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
  records: readonly unknown[]
  record: (payload: unknown, meta: unknown) => unknown
  schema: StandardSchemaV1 | undefined
  payload: PayloadFormat
  context: unknown
  cutoff: Cutoff
  limiter: Limiter | undefined
  logger: BatchLogger
}

export interface RecordRun {
  /** The record handler Powertools calls (it awaits what this returns). */
  handle(record: unknown): unknown
  /** What each record that reached `handle` failed with, by index. */
  readonly failures: Map<number, unknown>
  /** Indexes of the records the deadline kept from starting. */
  readonly notStarted: number[]
  /** A record's position in the batch. */
  indexOf(record: unknown): number
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

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

/** `next(value)` now, or once `value` resolves: a record whose steps are all synchronous never waits on a promise. */
function step(value: unknown, next: (value: unknown) => unknown): unknown {
  return isThenable(value) ? Promise.resolve(value).then(next) : next(value)
}

function validate(schema: StandardSchemaV1, payload: unknown): unknown {
  return step(runSchema(schema, payload, []), (outcome) => {
    const settled = outcome as Outcome
    if (!settled.ok) throw invalid(settled.issues)
    return settled.value
  })
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
  const indexes = new Map<unknown, number>(input.records.map((record, index) => [record, index]))
  const failures = new Map<number, unknown>()
  const notStarted: number[] = []
  const { source, cutoff, logger } = input

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

  // One promise per invocation that rejects at the cutoff: racing it costs a record no listener.
  const reached = new Promise<never>((_, reject) => {
    if (cutoff.stopped) reject(new RecordDeadlineError(true))
    else cutoff.onStop(() => reject(new RecordDeadlineError(true)))
  })
  reached.catch(() => undefined)

  /** Decode, validate and hand over one record; synchronous as long as every step is. */
  const process = (record: unknown, index: number, itemIdentifier: string | undefined): unknown => {
    let payload: unknown
    const fail = (error: unknown): never => {
      report(index, itemIdentifier, error, payload)
      throw throwable(error)
    }
    try {
      const result = step(payloadOf(source, record, input.payload), (decoded) => {
        payload = decoded
        return step(input.schema ? validate(input.schema, decoded) : decoded, (value) => {
          // Checked last, just before the callback: a record the cutoff caught here never started.
          if (cutoff.stopped) throw new RecordDeadlineError(false)
          const meta = {
            source,
            record,
            index,
            itemIdentifier: itemIdentifier ?? '',
            // A getter: the signal is only made when a record asks for it.
            get signal() {
              return cutoff.signal
            },
            context: input.context,
          }
          const returned = input.record(value, meta)
          return isThenable(returned) ? Promise.race([returned, reached]) : returned
        })
      })
      return isThenable(result) ? Promise.resolve(result).then(undefined, fail) : result
    } catch (error) {
      return fail(error)
    }
  }

  const handle = (record: unknown): unknown => {
    const index = indexes.get(record) as number
    const itemIdentifier = itemIdentifierOf(source, record)
    if (cutoff.stopped) {
      report(index, itemIdentifier, new RecordDeadlineError(false), undefined)
      throw new RecordDeadlineError(false)
    }
    if (!input.limiter) return process(record, index, itemIdentifier)
    return input.limiter.acquire().then(
      (release) => {
        try {
          return releaseAfter(process(record, index, itemIdentifier), release)
        } catch (error) {
          release()
          throw error
        }
      },
      () => {
        report(index, itemIdentifier, new RecordDeadlineError(false), undefined)
        throw new RecordDeadlineError(false)
      },
    )
  }

  return { handle, failures, notStarted, indexOf: (record) => indexes.get(record) as number }
}
