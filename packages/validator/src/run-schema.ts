import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { ValidationIssue } from './validation-error.js'

// Bounds on what goes back to the client: a hostile body with a megabyte-long key, or ten
// thousand failing array items, must not make a megabyte-long error response.
const maxIssues = 100
const maxMessageLength = 256
const maxKeyLength = 128

export type Outcome = { ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] }

export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

/** Runs `next` on a value now, or once it resolves: sync schemas never pay for a promise. */
export function andThen<T, R>(value: T | PromiseLike<T>, next: (value: T) => R): R | Promise<Awaited<R>> {
  return isThenable(value) ? (Promise.resolve(value).then(next) as Promise<Awaited<R>>) : next(value as T)
}

const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text)

function segment(part: PropertyKey | StandardSchemaV1.PathSegment): string | number {
  const key = typeof part === 'object' ? part.key : part
  return typeof key === 'number' ? key : clip(String(key), maxKeyLength)
}

function toIssues(issues: ReadonlyArray<StandardSchemaV1.Issue>, prefix: string[]): ValidationIssue[] {
  return issues.slice(0, maxIssues).map((issue) => ({
    path: [...prefix, ...(issue.path ?? []).map(segment)],
    message: clip(String(issue.message), maxMessageLength),
  }))
}

function toOutcome(result: StandardSchemaV1.Result<unknown>, prefix: string[]): Outcome {
  return result.issues ? { ok: false, issues: toIssues(result.issues, prefix) } : { ok: true, value: result.value }
}

/** Validates with any Standard Schema v1; issue paths start with `prefix` (the part's name). */
export function runSchema(schema: StandardSchemaV1, value: unknown, prefix: string[]): Outcome | Promise<Outcome> {
  const result = schema['~standard'].validate(value)
  return isThenable(result) ? result.then((settled) => toOutcome(settled, prefix)) : toOutcome(result, prefix)
}

export const isStandardSchema = (value: unknown): value is StandardSchemaV1 =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as Partial<StandardSchemaV1>)['~standard']?.validate === 'function'
