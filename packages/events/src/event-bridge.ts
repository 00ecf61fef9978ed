import { type Middleware, orderKey, orderRank } from '@lamina/core'
import { ValidationError } from '@lamina/validator'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import { invalid, isStandardSchema, runSchema, toIssues } from './issues.js'
import type { EventBridgeEvent, ScheduledRuleEvent } from './types.js'

export interface EventBridgeOptions {
  /** A Standard Schema (zod 4, valibot, ...) for `detail`; its output becomes `event.detail`. */
  detail?: StandardSchemaV1
  /** The detail type(s) this function takes; any other is refused. */
  detailType?: string | readonly string[]
  /** The source(s) this function takes; any other is refused. */
  source?: string | readonly string[]
}

type Member<T> = T extends readonly (infer U)[] ? U : T
type DetailTypeOf<O> = O extends { detailType: infer T } ? Extract<Member<T>, string> : string
type DetailOf<O> = O extends { detail: infer S extends StandardSchemaV1 } ? StandardSchemaV1.InferOutput<S> : unknown
type SourceOf<O> = O extends { source: infer S } ? { source: Extract<Member<S>, string> } : {}

/** What the handler sees after `eventBridge(options)`: the event with its detail type, source and detail typed. */
export type EventBridgeFlow<O> = { eventType: EventBridgeEvent<DetailTypeOf<O>, DetailOf<O>> & SourceOf<O> }

const advice = {
  envelope:
    'Point this function at an EventBridge rule (or a scheduled rule); for other sources use validator({ event }) from @lamina/validator.',
  match:
    "Check the rule's event pattern: it sends this function events it does not take (or widen detailType / source).",
  detail:
    'Fix the publisher or the schema; EventBridge retries the invocation and then sends the event to the dead-letter queue, if any.',
}

const maxQuoted = 128
const quote = (value: string) => JSON.stringify(value.length > maxQuoted ? `${value.slice(0, maxQuoted - 1)}…` : value)

const listOf = (value: string | readonly string[] | undefined, name: string): readonly string[] | undefined => {
  if (value === undefined) return undefined
  const list = typeof value === 'string' ? [value] : value
  if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string')) {
    throw new TypeError(`eventBridge({ ${name} }) takes a string or a non-empty array of strings.`)
  }
  return list
}

function isEnvelope(event: unknown): event is EventBridgeEvent {
  if (typeof event !== 'object' || event === null) return false
  const fields = event as Record<string, unknown>
  return typeof fields['detail-type'] === 'string' && typeof fields.source === 'string' && 'detail' in fields
}

function mismatch(event: EventBridgeEvent, field: 'detail-type' | 'source', allowed: readonly string[]) {
  const expected = allowed.map(quote).join(' or ')
  return invalid(
    `The EventBridge event ${event.id}`,
    [{ path: [field], message: `expected ${expected}, got ${quote(event[field])}` }],
    advice.match,
  )
}

/**
 * Checks an EventBridge event before the handler runs: its `detail-type` and `source` (when
 * given) and its `detail` against a Standard Schema, whose output the handler gets as
 * `event.detail`, typed. A failure throws a `ValidationError` (from `@lamina/validator`): the
 * invocation fails, so EventBridge's retry policy and dead-letter queue apply.
 */
export function eventBridge<const O extends EventBridgeOptions = {}>(options?: O): Middleware<EventBridgeFlow<O>> {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError("eventBridge() takes an options object such as { detailType: 'Order Placed', detail: schema }.")
  }
  const { detail: schema, detailType, source } = (options ?? {}) as EventBridgeOptions
  if (schema !== undefined && !isStandardSchema(schema)) {
    throw new TypeError(
      'eventBridge({ detail }) is not a Standard Schema v1; pass a zod 4, valibot 1 or other Standard Schema.',
    )
  }
  const detailTypes = listOf(detailType, 'detailType')
  const sources = listOf(source, 'source')

  return {
    name: 'event-bridge',
    // With the other input middlewares: inside the error mapper and the observers, so a refused
    // event is logged and counted.
    [orderKey]: orderRank.input,
    before(request) {
      const event: unknown = request.event
      if (!isEnvelope(event)) {
        throw new ValidationError(
          `The event is not an EventBridge event (no string "detail-type" and "source", or no "detail"). ${advice.envelope}`,
          { issues: [{ path: [], message: 'not an EventBridge event' }], parts: ['event'] },
        )
      }
      if (detailTypes && !detailTypes.includes(event['detail-type'])) throw mismatch(event, 'detail-type', detailTypes)
      if (sources && !sources.includes(event.source)) throw mismatch(event, 'source', sources)
      if (schema === undefined) return
      return runSchema(
        schema,
        event.detail,
        (detail) => {
          // A new view: the event Lambda passed in stays as it arrived.
          request.event = { ...event, detail }
        },
        (issues) => {
          throw invalid(
            `The detail of the ${quote(event['detail-type'])} event ${event.id}`,
            toIssues(issues, ['detail']),
            advice.detail,
          )
        },
      )
    },
  }
}

/**
 * For a function a scheduled EventBridge rule (`rate(...)`, `cron(...)`) invokes: refuses any
 * other event and types the event as `ScheduledRuleEvent` (`time` is when the rule fired;
 * `resources[0]` is the rule's ARN).
 */
export function scheduled(): Middleware<{ eventType: ScheduledRuleEvent }> {
  return eventBridge({ detailType: 'Scheduled Event', source: 'aws.events' }) as Middleware<{
    eventType: ScheduledRuleEvent
  }>
}
