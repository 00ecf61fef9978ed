/** The event sources Lamina tells apart by the event's shape alone. */
export type EventSource =
  | 'api-gateway-v1'
  | 'api-gateway-v2'
  | 'alb'
  | 'function-url'
  | 'sqs'
  | 'sns'
  | 's3'
  | 'dynamodb'
  | 'kinesis'
  | 'eventbridge'
  | 'unknown'

export type HttpEventSource = 'api-gateway-v1' | 'api-gateway-v2' | 'alb' | 'function-url'

type Shape = Record<string, unknown> & {
  requestContext?: Record<string, unknown>
  Records?: unknown
}

// A Map, not an object literal: an event tagged 'constructor' must not find Object.prototype.
const recordSources = new Map<unknown, EventSource>([
  ['aws:sqs', 'sqs'],
  ['aws:sns', 'sns'],
  ['aws:s3', 's3'],
  ['aws:dynamodb', 'dynamodb'],
  ['aws:kinesis', 'kinesis'],
])

/**
 * Names the source of a Lambda event from its shape. Never throws: anything unrecognised,
 * including null, strings and arrays, is 'unknown'.
 */
export function eventSource(event: unknown): EventSource {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return 'unknown'
  const shape = event as Shape
  const requestContext = shape.requestContext
  if (typeof requestContext === 'object' && requestContext !== null) {
    // The payload 2.0 shape first: the most common source answers with the fewest reads. No
    // ALB event carries it, so the order changes no answer.
    if (shape.version === '2.0' && typeof requestContext.http === 'object') {
      const domain = requestContext.domainName
      return typeof domain === 'string' && domain.includes('.lambda-url.') ? 'function-url' : 'api-gateway-v2'
    }
    if ('elb' in requestContext) return 'alb'
    if (typeof shape.httpMethod === 'string') return 'api-gateway-v1'
  }
  if (Array.isArray(shape.Records) && shape.Records.length > 0) {
    const first = shape.Records[0] as Record<string, unknown> | null
    return recordSources.get(first?.eventSource ?? first?.EventSource) ?? 'unknown'
  }
  if (typeof shape['detail-type'] === 'string' && typeof shape.source === 'string') return 'eventbridge'
  return 'unknown'
}

/** True for the sources that expect an HTTP response object rather than a thrown error. */
export function isHttpEventSource(source: EventSource): source is HttpEventSource {
  return source === 'api-gateway-v1' || source === 'api-gateway-v2' || source === 'alb' || source === 'function-url'
}
