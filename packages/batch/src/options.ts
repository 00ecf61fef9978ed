import { isStandardSchema } from '@lamina/validator'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { BatchLogger } from './failure-log.js'
import type { PayloadFormat } from './payload.js'
import type { BatchSource } from './sources.js'
import type { FifoOption } from './types.js'

export const defaultMarginMs = 1000

/** The options, checked once when `batch()` is called, so a mistake fails at init. */
export interface Settings {
  record: (payload: unknown, meta: unknown) => unknown
  schema: StandardSchemaV1 | undefined
  source: BatchSource | undefined
  payload: PayloadFormat
  concurrency: number
  fifo: FifoOption | undefined
  throwOnFullBatchFailure: boolean
  marginMs: number
  logger: BatchLogger | undefined
}

const known = new Set([
  'record',
  'schema',
  'source',
  'payload',
  'concurrency',
  'fifo',
  'throwOnFullBatchFailure',
  'marginMs',
  'logger',
])

const fail = (message: string): never => {
  throw new TypeError(`batch(): ${message}`)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`
  return typeof value
}

function readConcurrency(value: unknown, fifo: unknown): number {
  if (value === undefined) return Number.POSITIVE_INFINITY
  if (typeof value !== 'number' || !(Number.isInteger(value) || value === Number.POSITIVE_INFINITY) || value < 1) {
    fail(
      `concurrency must be a whole number of records, 1 or more (default: all at once); got ${typeof value === 'number' ? value : describe(value)}.`,
    )
  }
  if (fifo === true || (typeof fifo === 'object' && fifo !== null)) {
    fail(
      'concurrency has no meaning with fifo: a FIFO queue is processed one record at a time, in order. Remove one of them.',
    )
  }
  return value as number
}

function readFifo(value: unknown, source: unknown): FifoOption | undefined {
  if (value === undefined || typeof value === 'boolean') return value
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const skip = (value as { skipGroupOnError?: unknown }).skipGroupOnError
    if (skip !== undefined && typeof skip !== 'boolean')
      fail(`fifo.skipGroupOnError must be true or false; got ${describe(skip)}.`)
    if (source !== undefined && source !== 'sqs') fail(`fifo is for SQS FIFO queues, not ${String(source)}.`)
    return value as FifoOption
  }
  return fail(`fifo must be true, false or { skipGroupOnError: true }; got ${describe(value)}.`)
}

export function readOptions(options: unknown): Settings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail(`takes an options object like { record: async (payload) => { … } }; got ${describe(options)}.`)
  }
  const given = options as Record<string, unknown>
  for (const key of Object.keys(given)) {
    if (!known.has(key)) fail(`there is no option "${key}"; the options are ${[...known].join(', ')}.`)
  }
  if (typeof given.record !== 'function')
    fail(`record must be the function that processes one record; got ${describe(given.record)}.`)
  if (given.schema !== undefined && !isStandardSchema(given.schema)) {
    fail('schema must be a Standard Schema (zod 4, valibot 1, ArkType, …): an object with a "~standard" property.')
  }
  if (
    given.source !== undefined &&
    given.source !== 'sqs' &&
    given.source !== 'kinesis' &&
    given.source !== 'dynamodb'
  ) {
    fail(`source must be 'sqs', 'kinesis' or 'dynamodb'; got ${describe(given.source)}.`)
  }
  if (given.payload !== undefined && given.payload !== 'json' && given.payload !== 'text') {
    fail(`payload must be 'json' or 'text'; got ${describe(given.payload)}.`)
  }
  const marginMs = given.marginMs ?? defaultMarginMs
  if (typeof marginMs !== 'number' || !Number.isFinite(marginMs) || marginMs < 0) {
    fail(
      `marginMs must be a number of milliseconds, 0 or more (default ${defaultMarginMs}); got ${describe(marginMs)}.`,
    )
  }
  if (given.throwOnFullBatchFailure !== undefined && typeof given.throwOnFullBatchFailure !== 'boolean') {
    fail(`throwOnFullBatchFailure must be true or false; got ${describe(given.throwOnFullBatchFailure)}.`)
  }
  const logger = given.logger as BatchLogger | undefined
  if (logger !== undefined && (typeof logger?.warn !== 'function' || typeof logger?.error !== 'function')) {
    fail('logger must have warn() and error() methods (a Powertools Logger, console, …).')
  }
  const fifo = readFifo(given.fifo, given.source)
  return {
    record: given.record as Settings['record'],
    schema: given.schema as StandardSchemaV1 | undefined,
    source: given.source as BatchSource | undefined,
    payload: (given.payload ?? 'json') as PayloadFormat,
    concurrency: readConcurrency(given.concurrency, fifo),
    fifo,
    throwOnFullBatchFailure: (given.throwOnFullBatchFailure ?? true) as boolean,
    marginMs: marginMs as number,
    logger,
  }
}
