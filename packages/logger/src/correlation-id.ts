import { eventSource } from '@lamina/core'

/** Where to find the correlation id: a dot path into the event, or a function of the event. */
export type CorrelationIdSource = string | ((event: unknown) => unknown)

type Bag = Record<string, unknown>

const isBag = (value: unknown): value is Bag => typeof value === 'object' && value !== null

/**
 * Reads a dot path (`headers.x-request-id`, `Records.0.messageId`) through own properties only,
 * so a path through `__proto__` or `constructor` finds nothing instead of a prototype.
 */
export function readPath(value: unknown, path: string): unknown {
  return readSegments(value, path.split('.'))
}

/** `readPath` with the path split already (once, at init, rather than on every invocation). */
function readSegments(value: unknown, segments: readonly string[]): unknown {
  let current = value
  for (const segment of segments) {
    if (!isBag(current) || !Object.hasOwn(current, segment)) return undefined
    current = current[segment]
  }
  return current
}

/** An own property's value, or `undefined` (never one inherited through `__proto__`). */
const own = (bag: unknown, key: string): unknown => (isBag(bag) && Object.hasOwn(bag, key) ? bag[key] : undefined)

/** A header's value by its lower-case name, whatever case the caller used. */
function header(event: Bag, name: string): unknown {
  const headers = event.headers
  if (!isBag(headers)) return undefined
  // HTTP APIs and function URLs send lower-case names: one lookup. Others keep the client's case.
  if (Object.hasOwn(headers, name)) return headers[name]
  // Only a name of the same length can match: the others are never lower-cased (no string made).
  // A for-in loop, not Object.keys: no array made on every invocation.
  for (const key in headers) {
    if (key.length === name.length && key.toLowerCase() === name && Object.hasOwn(headers, key)) return headers[key]
  }
  return undefined
}

function firstRecordField(event: Bag, field: string): unknown {
  const records = event.Records as unknown[]
  // A batch has no single id: correlate each record in your own log lines instead.
  return records.length === 1 && isBag(records[0]) ? records[0][field] : undefined
}

/**
 * The id that ties this invocation's lines to the caller's: an `x-correlation-id` header when
 * the caller sent one, else the API Gateway request id (ALB: its trace header), the SQS message id
 * of a one-record batch, or the EventBridge event id.
 */
export function defaultCorrelationId(event: unknown): unknown {
  const source = eventSource(event)
  const shape = event as Bag
  switch (source) {
    case 'api-gateway-v1':
    case 'api-gateway-v2':
    case 'function-url':
      return header(shape, 'x-correlation-id') ?? own(shape.requestContext, 'requestId')
    case 'alb':
      return header(shape, 'x-correlation-id') ?? header(shape, 'x-amzn-trace-id')
    case 'sqs':
      return firstRecordField(shape, 'messageId')
    case 'eventbridge':
      return shape.id
    default:
      return undefined
  }
}

/** The correlation id as a log value: a non-empty string or number, else nothing. */
export function findCorrelationId(event: unknown, source: CorrelationIdSource | undefined): string | undefined {
  return correlationIdReader(source)(event)
}

/** `findCorrelationId` for one source, made once: a dot path is split here, not per invocation. */
export function correlationIdReader(source: CorrelationIdSource | undefined): (event: unknown) => string | undefined {
  if (source === undefined) return (event) => asLogValue(defaultCorrelationId(event))
  if (typeof source === 'string') {
    const segments = source.split('.')
    return (event) => asLogValue(readSegments(event, segments))
  }
  return (event) => asLogValue(source(event))
}

function asLogValue(found: unknown): string | undefined {
  if (typeof found === 'number' && Number.isFinite(found)) return String(found)
  return typeof found === 'string' && found !== '' ? found : undefined
}
