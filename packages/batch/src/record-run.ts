import { runSchema, ValidationError } from '@lamina/validator'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { Limiter } from './cutoff.js'
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
  signal: AbortSignal
  limiter: Limiter | undefined
  logger: BatchLogger
}

export interface RecordRun {
  /** The record handler Powertools calls. */
  handle(record: unknown): Promise<void>
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

async function validate(schema: StandardSchemaV1, payload: unknown): Promise<unknown> {
  const outcome = await runSchema(schema, payload, [])
  if (!outcome.ok) throw invalid(outcome.issues)
  return outcome.value
}

/**
 * Calls `start` and settles with what it returns, or rejects at the cutoff (`work`'s own later
 * rejection is handled here). Past the cutoff already, `start` is never called.
 */
function untilCutoff(start: () => unknown, signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.reject(new RecordDeadlineError(false))
  return new Promise((resolve, reject) => {
    const stop = () => reject(new RecordDeadlineError(true))
    signal.addEventListener('abort', stop, { once: true })
    Promise.resolve()
      .then(start)
      .then(
        (value) => {
          signal.removeEventListener('abort', stop)
          resolve(value)
        },
        (error: unknown) => {
          signal.removeEventListener('abort', stop)
          reject(error)
        },
      )
  })
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
  const { source, signal, logger } = input

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

  const handle = async (record: unknown): Promise<void> => {
    const index = indexes.get(record) as number
    const itemIdentifier = itemIdentifierOf(source, record)
    let payload: unknown
    let release: (() => void) | undefined
    try {
      if (signal.aborted) throw new RecordDeadlineError(false)
      if (input.limiter)
        release = await input.limiter.acquire().catch(() => Promise.reject(new RecordDeadlineError(false)))
      payload = await payloadOf(source, record, input.payload)
      const value = input.schema ? await validate(input.schema, payload) : payload
      const meta = { source, record, index, itemIdentifier: itemIdentifier ?? '', signal, context: input.context }
      await untilCutoff(() => input.record(value, meta), signal)
    } catch (error) {
      report(index, itemIdentifier, error, payload)
      throw throwable(error)
    } finally {
      release?.()
    }
  }

  return { handle, failures, notStarted, indexOf: (record) => indexes.get(record) as number }
}
