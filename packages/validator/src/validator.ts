import {
  type EventSource,
  eventSource,
  isHttpEventSource,
  type Middleware,
  orderKey,
  orderRank,
  type Request,
} from '@lamina/core'
import type { StandardSchemaV1 } from '@standard-schema/spec'
import { type BodyRules, bodyRules, readBody } from './body.js'
import { type HttpEventFields, headersOf, lowerCaseHeaders, pathOf, queryOf, queryParametersOf } from './http-input.js'
import { andThen, isStandardSchema, isThenable, type Outcome, runSchema } from './run-schema.js'
import { inputError, ValidationError, type ValidationPart } from './validation-error.js'

export interface ValidatorOptions {
  /** The whole event, for any source; its output becomes the event the handler sees. */
  event?: StandardSchemaV1
  /** The HTTP body, decoded and parsed as JSON (or as a form, with `form: true`). */
  body?: StandardSchemaV1
  /** The query string parameters (`{}` when there are none). */
  query?: StandardSchemaV1
  /** The path parameters (`{}` when there are none). */
  path?: StandardSchemaV1
  /** The headers, with lower-cased names. */
  headers?: StandardSchemaV1
  /** What the handler returns; a failure is the server's bug and becomes a 500. */
  response?: StandardSchemaV1
  /** Largest body accepted, in bytes after base64 decoding; bigger ones get 413. Default 1 MiB. */
  maxBodyBytes?: number
  /** Status for a schema failure in body, query, path, headers or event. Default 400. */
  invalidStatus?: 400 | 422
  /**
   * Also parse `application/x-www-form-urlencoded` bodies (repeated fields become arrays).
   * Default false: a JSON API then never sees the body of a cross-site HTML form post, which
   * browsers send without a CORS preflight; other types get 415.
   */
  form?: boolean
}

// Where each HTTP part lives on the event, and so where its validated output goes.
const partFields = {
  headers: 'headers',
  path: 'pathParameters',
  query: 'queryStringParameters',
  body: 'body',
} as const
type PartFields = typeof partFields
type HttpPart = keyof PartFields
const httpParts = Object.keys(partFields) as HttpPart[]

type Out<S> = S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : never
type PartsView<O> = {
  -readonly [K in keyof O as K extends HttpPart ? PartFields[K] : never]-?: Out<NonNullable<O[K]>>
}

/**
 * What the handler sees after `validator(options)`: with an `event` schema, its output
 * replaces the event; otherwise `body`, `queryStringParameters`, `pathParameters` and
 * `headers` take the output types of their schemas.
 */
export type ValidatorFlow<O> = O extends { event: infer S extends StandardSchemaV1 }
  ? { eventType: Out<S> }
  : { event: PartsView<O> }

interface PartCheck {
  part: HttpPart
  field: PartFields[HttpPart]
  schema: StandardSchemaV1
  /** Issue paths start with the part's name; made once, never mutated. */
  prefix: string[]
}

const defaultMaxBodyBytes = 1024 * 1024

function checkOptions(options: ValidatorOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('validator() takes an options object such as { body: schema }.')
  }
  for (const key of ['event', ...httpParts, 'response'] as const) {
    const schema = options[key]
    if (schema !== undefined && !isStandardSchema(schema)) {
      throw new TypeError(
        `validator(): "${key}" is not a Standard Schema v1; pass a zod 4, valibot 1 or other Standard Schema.`,
      )
    }
  }
  const max = options.maxBodyBytes
  if (max !== undefined && (!Number.isInteger(max) || max < 0)) {
    throw new RangeError(`validator(): maxBodyBytes must be a whole number of bytes, got ${String(max)}.`)
  }
  const status = options.invalidStatus
  if (status !== undefined && status !== 400 && status !== 422) {
    throw new RangeError(`validator(): invalidStatus must be 400 or 422, got ${String(status)}.`)
  }
  const form = options.form
  if (form !== undefined && typeof form !== 'boolean') {
    throw new TypeError(`validator(): form must be true or false (parse form bodies or not), got ${String(form)}.`)
  }
}

function describeEvent(event: unknown, source: EventSource): string {
  if (event === null) return 'null'
  if (Array.isArray(event)) return 'an array'
  if (typeof event !== 'object') return `a ${typeof event}`
  return source === 'unknown' ? 'an object of no known HTTP shape' : `an event from ${source}`
}

function notHttp(event: unknown, source: EventSource): ValidationError {
  return new ValidationError(
    `validator(): body, query, path and headers schemas need an HTTP event (API Gateway, ALB or function URL), but the event is ${describeEvent(event, source)}; use validator({ event }) for other sources.`,
    { parts: ['event'] },
  )
}

function inputOf(part: HttpPart, event: HttpEventFields, source: EventSource, rules: BodyRules): unknown {
  switch (part) {
    case 'headers':
      return lowerCaseHeaders(headersOf(event))
    case 'path':
      return pathOf(event.pathParameters)
    case 'query':
      return queryOf(queryParametersOf(event), source === 'alb')
    default:
      return readBody(event, rules)
  }
}

const listParts = (parts: string[]) =>
  parts.length === 1 ? (parts[0] as string) : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`

/** Validates the parts of HTTP events, or whole events of any source, before the handler runs. */
export function validator<const O extends ValidatorOptions>(options: O): Middleware<ValidatorFlow<O>> {
  checkOptions(options)
  const rules = bodyRules(options.maxBodyBytes ?? defaultMaxBodyBytes, options.form ?? false)
  const invalidStatus = options.invalidStatus ?? 400
  const checks: PartCheck[] = httpParts
    .filter((part) => options[part] !== undefined)
    .map((part) => ({ part, field: partFields[part], schema: options[part] as StandardSchemaV1, prefix: [part] }))
  const { event: eventSchema, response: responseSchema } = options

  const fail = (message: string, outcome: Outcome & { ok: false }, parts: ValidationPart[]) =>
    inputError(message, { statusCode: invalidStatus, issues: outcome.issues, parts })

  function validateEvent(request: Request, event: unknown): void | Promise<void> {
    if (eventSchema === undefined) return
    return andThen(runSchema(eventSchema, event, []), (outcome) => {
      if (!outcome.ok)
        throw fail('The event did not pass validation; fix the fields listed in issues.', outcome, ['event'])
      request.event = outcome.value
    })
  }

  function partsFailure(outcomes: Outcome[]): ValidationError {
    const failed = checks.filter((_, index) => !outcomes[index]?.ok).map((check) => check.part)
    const issues = outcomes.flatMap((outcome) => (outcome.ok ? [] : outcome.issues))
    return fail(
      `The request ${listParts(failed)} did not pass validation; fix the fields listed in issues.`,
      { ok: false, issues },
      failed,
    )
  }

  function applyParts(request: Request, event: object, outcomes: Outcome[]): void | Promise<void> {
    // A plain loop: this runs on every request, and a callback per part costs more than the check.
    for (const outcome of outcomes) if (!outcome.ok) throw partsFailure(outcomes)
    // A new view, not a mutation: the event Lambda passed in stays as it arrived.
    const view: Record<string, unknown> = { ...event }
    for (let index = 0; index < checks.length; index++) {
      const check = checks[index] as PartCheck
      view[check.field] = (outcomes[index] as { value: unknown }).value
    }
    request.event = view
    return validateEvent(request, view)
  }

  return {
    name: 'validator',
    // Inside the mapper and the observers, so its 4xx answers are mapped, logged and counted.
    [orderKey]: orderRank.input,
    before(request) {
      const event: unknown = request.event
      if (checks.length === 0) return validateEvent(request, event)
      const source = eventSource(event)
      if (!isHttpEventSource(source)) throw notHttp(event, source)
      // Sized up front: an empty array's first push reserves 17 slots, most of the validator's
      // allocation on a request with one part to check.
      const outcomes = new Array<Outcome | Promise<Outcome>>(checks.length)
      let pending = false
      for (let index = 0; index < checks.length; index++) {
        const check = checks[index] as PartCheck
        const input = inputOf(check.part, event as HttpEventFields, source, rules)
        const outcome = runSchema(check.schema, input, check.prefix)
        pending ||= isThenable(outcome)
        outcomes[index] = outcome
      }
      if (pending) return Promise.all(outcomes).then((settled) => applyParts(request, event as object, settled))
      return applyParts(request, event as object, outcomes as Outcome[])
    },
    // No `after` at all without a response schema (not `after: undefined`), so the engine skips
    // the hook and the object fits Middleware under exactOptionalPropertyTypes too.
    ...(responseSchema && {
      after: (request: Request) =>
        andThen(runSchema(responseSchema, request.response, []), (outcome) => {
          if (outcome.ok) {
            request.response = outcome.value
            return
          }
          // The server's bug, not the client's: a 500 whose details stay on the error for the logs.
          throw new ValidationError(
            "The handler's response did not match the response schema; fix the handler or the schema (see issues).",
            { statusCode: 500, expose: false, issues: outcome.issues, parts: ['response'] },
          )
        }),
    }),
  }
}
