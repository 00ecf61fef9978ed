import { type Middleware, orderKey, orderRank } from '@lamina/core'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import { invalid, isStandardSchema, runSchema, toIssues } from './issues.js'
import type { SchedulerContext } from './types.js'

/**
 * EventBridge Scheduler's context attributes: it replaces each keyword in a schedule's input with
 * its value when it invokes the target. Everything else in the input arrives as you wrote it.
 */
export const schedulerContextAttributes = {
  scheduleArn: '<aws.scheduler.schedule-arn>',
  scheduledTime: '<aws.scheduler.scheduled-time>',
  executionId: '<aws.scheduler.execution-id>',
  attemptNumber: '<aws.scheduler.attempt-number>',
} as const

/** The key the context attributes travel under in the input. */
export const schedulerKey = 'scheduler'

/**
 * The `Input` to give a schedule whose target is this function: your input as JSON, plus
 * Scheduler's context attributes under `scheduler`, which `schedulerInput()` turns into
 * `context.scheduler`.
 */
export function schedulerInputTemplate(input: Record<string, unknown> = {}): string {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('schedulerInputTemplate() takes your input as a plain object, such as { report: "daily" }.')
  }
  if (Object.hasOwn(input, schedulerKey)) {
    throw new TypeError(
      `schedulerInputTemplate(): "${schedulerKey}" is where the context attributes go; rename that field of your input.`,
    )
  }
  return JSON.stringify({ ...input, [schedulerKey]: schedulerContextAttributes })
}

type Out<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : unknown

/** What the handler sees after `schedulerInput(schema)`. */
export type SchedulerInputFlow<S> = {
  eventType: Out<S>
  context: { scheduler: SchedulerContext | undefined }
}

const advice = {
  context: `Build the schedule's input with schedulerInputTemplate(), so Scheduler fills in every attribute.`,
  input:
    "Fix the schedule's input or the schema; Scheduler retries the invocation and then sends it to the dead-letter queue, if any.",
}

const contextFields = Object.keys(schedulerContextAttributes) as (keyof SchedulerContext)[]

function readContext(value: unknown): SchedulerContext {
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
  const issues = contextFields
    .filter((field) => typeof fields[field] !== 'string' || fields[field] === schedulerContextAttributes[field])
    .map((field) => ({ path: [schedulerKey, field], message: 'expected the value Scheduler fills in' }))
  const attempt = Number(fields.attemptNumber)
  if (issues.length === 0 && !(Number.isInteger(attempt) && attempt >= 1)) {
    issues.push({ path: [schedulerKey, 'attemptNumber'], message: 'expected a whole number from 1' })
  }
  if (issues.length > 0) throw invalid("The EventBridge Scheduler input's context attributes", issues, advice.context)
  return {
    scheduleArn: fields.scheduleArn as string,
    scheduledTime: fields.scheduledTime as string,
    executionId: fields.executionId as string,
    attemptNumber: attempt,
  }
}

/**
 * For a function EventBridge Scheduler invokes. Scheduler delivers only the input you gave the
 * schedule, so `schema` (any Standard Schema) checks the whole event and its output is the event
 * the handler gets. Context attributes the input carries under `scheduler` (see
 * `schedulerInputTemplate`) become `context.scheduler`, typed, and are taken out of the event
 * before the schema sees it. A failure throws a `ValidationError`, so Scheduler's retry policy
 * and dead-letter queue apply.
 */
export function schedulerInput<const S extends StandardSchemaV1 | undefined = undefined>(
  schema?: S,
): Middleware<SchedulerInputFlow<S>> {
  if (schema !== undefined && !isStandardSchema(schema)) {
    throw new TypeError('schedulerInput(schema) takes a Standard Schema v1 (zod 4, valibot 1, ...), or nothing.')
  }
  return {
    name: 'scheduler-input',
    [orderKey]: orderRank.input,
    before(request) {
      const event: unknown = request.event
      let input = event
      let scheduler: SchedulerContext | undefined
      if (typeof event === 'object' && event !== null && !Array.isArray(event) && Object.hasOwn(event, schedulerKey)) {
        const { [schedulerKey]: attributes, ...rest } = event as Record<string, unknown>
        scheduler = readContext(attributes)
        input = rest
      }
      request.context.scheduler = scheduler
      if (schema === undefined) {
        request.event = input
        return
      }
      return runSchema(
        schema,
        input,
        (output) => {
          request.event = output
        },
        (issues) => {
          throw invalid('The EventBridge Scheduler input', toIssues(issues, []), advice.input)
        },
      )
    },
  }
}
