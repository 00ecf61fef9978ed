import { ValidationError, type ValidationIssue } from '@lamina/validator'
import type { StandardSchemaV1 } from '@standard-schema/spec'

// Bounds on what a hostile or huge event can put in an error (and so in a log line or a DLQ record).
const maxIssues = 100
const maxMessageLength = 256
const maxKeyLength = 128
const issuesInMessage = 3

const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length - 1)}…` : text)

function segment(part: PropertyKey | StandardSchemaV1.PathSegment): string | number {
  const key = typeof part === 'object' ? part.key : part
  return typeof key === 'number' ? key : clip(String(key), maxKeyLength)
}

/** A schema's issues as `{ path, message }`, paths starting with `prefix`, bounded. */
export function toIssues(issues: ReadonlyArray<StandardSchemaV1.Issue>, prefix: string[]): ValidationIssue[] {
  return issues.slice(0, maxIssues).map((issue) => ({
    path: [...prefix, ...(issue.path ?? []).map(segment)],
    message: clip(String(issue.message), maxMessageLength),
  }))
}

export const isStandardSchema = (value: unknown): value is StandardSchemaV1 =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as Partial<StandardSchemaV1>)['~standard']?.validate === 'function'

export const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'

/**
 * Runs a Standard Schema on a value; `done` gets the output, `fail` the issues. Sync schemas stay
 * sync (no promise), async ones return one.
 */
export function runSchema<R>(
  schema: StandardSchemaV1,
  value: unknown,
  done: (output: unknown) => R,
  fail: (issues: ReadonlyArray<StandardSchemaV1.Issue>) => never,
): R | Promise<R> {
  const finish = (result: StandardSchemaV1.Result<unknown>) =>
    result.issues ? fail(result.issues) : done(result.value)
  const result = schema['~standard'].validate(value)
  return isThenable(result) ? Promise.resolve(result).then(finish) : finish(result)
}

/**
 * A `ValidationError` whose message lists the first issues too: an EventBridge or Scheduler
 * invocation that fails ends in Lambda's error record (and the dead-letter queue), which keeps the
 * message but not the `issues` property.
 */
export function invalid(what: string, issues: ValidationIssue[], advice: string): ValidationError {
  const listed = issues
    .slice(0, issuesInMessage)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ')
  const more = issues.length > issuesInMessage ? ` (and ${issues.length - issuesInMessage} more)` : ''
  return new ValidationError(`${what} did not pass validation: ${listed}${more}. ${advice}`, {
    issues,
    parts: ['event'],
  })
}
