import { type EventSource, eventSource, isHttpEventSource } from '@lamina/core'

/** Attribute values OpenTelemetry takes; kept local so this module loads nothing of OpenTelemetry. */
export type Attributes = Record<string, string | number | boolean>

// `faas.trigger` per the FaaS semantic conventions: what kind of event started the invocation.
const triggers: Record<EventSource, string> = {
  'api-gateway-v1': 'http',
  'api-gateway-v2': 'http',
  alb: 'http',
  'function-url': 'http',
  sqs: 'pubsub',
  sns: 'pubsub',
  eventbridge: 'pubsub',
  s3: 'datasource',
  dynamodb: 'datasource',
  kinesis: 'datasource',
  unknown: 'other',
}

type Shape = Record<string, any> | null | undefined
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined)

/** The account id is the fifth field of the invoked function's ARN. */
export function accountOf(arn: unknown): string | undefined {
  const account = typeof arn === 'string' ? arn.split(':')[4] : undefined
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined
}

/** The HTTP method and route of an HTTP event, as each source spells them. */
function httpRequest(source: EventSource, event: Shape): { method?: string | undefined; route?: string | undefined } {
  if (source === 'api-gateway-v2' || source === 'function-url') {
    const http = event?.requestContext?.http
    // API Gateway's routeKey is "GET /orders/{id}"; a function URL's is "$default".
    const routeKey = text(event?.routeKey)?.split(' ')[1]
    return { method: text(http?.method), route: routeKey ?? text(http?.path) }
  }
  // v1 and ALB carry the method at the top; v1 also has the resource template.
  return { method: text(event?.httpMethod), route: text(event?.resource) ?? text(event?.path) }
}

/**
 * The handler span's attributes known when the invocation starts (FaaS and HTTP semantic
 * conventions). Reads only what is there: an event or context of any shape gives a valid set.
 */
export function invocationAttributes(event: unknown, context: unknown, coldStart: boolean): Attributes {
  const source = eventSource(event)
  const lambda = (typeof context === 'object' && context !== null ? context : {}) as Shape
  const attributes: Attributes = { 'faas.trigger': triggers[source], 'faas.coldstart': coldStart }
  const requestId = text(lambda?.awsRequestId)
  if (requestId !== undefined) attributes['faas.invocation_id'] = requestId
  const arn = text(lambda?.invokedFunctionArn)
  if (arn !== undefined) attributes['cloud.resource_id'] = arn
  const account = accountOf(arn)
  if (account !== undefined) attributes['cloud.account.id'] = account
  if (isHttpEventSource(source)) {
    const { method, route } = httpRequest(source, event as Shape)
    if (method !== undefined) attributes['http.request.method'] = method
    if (route !== undefined) attributes['http.route'] = route
  }
  return attributes
}

/** The status code of an HTTP answer (`{ statusCode }`), if the response is one. */
export function statusCodeOf(response: unknown): number | undefined {
  const code = (response as Shape)?.statusCode
  return typeof code === 'number' && Number.isInteger(code) ? code : undefined
}

/** Whether the event came from an HTTP source (its response's status is recorded). */
export const isHttpEvent = (event: unknown): boolean => isHttpEventSource(eventSource(event))
