// An HTTP request as the event each HTTP source delivers: API Gateway HTTP API (v2, the default),
// REST API (v1), ALB and Function URL. The testing kit's factories build the shape; this adds what
// only a real request has (repeated headers and query values, cookies, binary bodies, the route).
import { randomUUID } from 'node:crypto'
import { events } from '@lamina/testing'
import type { HttpEventFormat } from './template.js'

export interface HttpRequestParts {
  method: string
  /** Path and query, as received: `/orders?id=1`. */
  url: string
  /** Node's `request.rawHeaders`: name, value, name, value… */
  rawHeaders: string[]
  body: Buffer
  sourceIp?: string
}

export interface EventOptions {
  format: HttpEventFormat
  routeKey: string
  pathParameters: Record<string, string> | undefined
  requestId?: string
}

// API Gateway passes these bodies as text; anything else (images, octet-stream) arrives base64.
const textTypes = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|[\w.+-]+\+(json|xml)))/i

function collect(rawHeaders: string[]) {
  const multi: Record<string, string[]> = {}
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] as string).toLowerCase()
    multi[name] = [...(multi[name] ?? []), rawHeaders[index + 1] as string]
  }
  return multi
}

function queryOf(search: string) {
  const multi: Record<string, string[]> = {}
  for (const [key, value] of new URLSearchParams(search)) multi[key] = [...(multi[key] ?? []), value]
  return multi
}

const joined = (multi: Record<string, string[]>, separator: string) =>
  Object.fromEntries(Object.entries(multi).map(([key, values]) => [key, values.join(separator)]))
const last = (multi: Record<string, string[]>) =>
  Object.fromEntries(Object.entries(multi).map(([key, values]) => [key, values[values.length - 1] as string]))
const orNull = <T extends object>(value: T) => (Object.keys(value).length > 0 ? value : null)

function bodyOf(body: Buffer, contentType: string | undefined) {
  if (body.length === 0) return { body: undefined, isBase64Encoded: false }
  if (contentType === undefined || textTypes.test(contentType))
    return { body: body.toString('utf8'), isBase64Encoded: false }
  return { body: body.toString('base64'), isBase64Encoded: true }
}

/** The event `format` delivers for this request. */
export function toHttpEvent(request: HttpRequestParts, options: EventOptions): Record<string, unknown> {
  const url = new URL(request.url, 'http://localhost')
  const path = decodeURI(url.pathname)
  const method = request.method.toUpperCase()
  const headers = collect(request.rawHeaders)
  const query = queryOf(url.search)
  const { body, isBase64Encoded } = bodyOf(request.body, headers['content-type']?.[0])
  const requestId = options.requestId ?? randomUUID()
  const input = { method, path, requestId, isBase64Encoded, ...(body === undefined ? {} : { body }) }

  if (options.format === 'v1' || options.format === 'alb') {
    const single = last(headers)
    if (options.format === 'alb') {
      return { ...events.alb({ ...input, headers: single }), queryStringParameters: last(query) }
    }
    const event = events.apiGatewayV1({ ...input, headers: single })
    const resource = options.routeKey === '$default' ? '/{proxy+}' : options.routeKey.split(' ')[1]
    return {
      ...event,
      resource,
      multiValueHeaders: headers,
      queryStringParameters: orNull(last(query)),
      multiValueQueryStringParameters: orNull(query),
      pathParameters: options.pathParameters ?? null,
      body: body ?? null,
      requestContext: {
        ...event.requestContext,
        resourcePath: resource,
        identity: { ...event.requestContext.identity, sourceIp: request.sourceIp ?? '127.0.0.1' },
      },
    }
  }

  // Payload 2.0 and Function URLs: repeated values joined by commas, cookies in their own list.
  const cookies = (headers.cookie ?? [])
    .flatMap((line) => line.split(';').map((cookie) => cookie.trim()))
    .filter(Boolean)
  delete headers.cookie
  const factory = options.format === 'url' ? events.functionUrl : events.apiGatewayV2
  const event = factory({ ...input, headers: joined(headers, ',') }) as unknown as Record<string, unknown> & {
    requestContext: Record<string, unknown> & { http: Record<string, unknown> }
  }
  const queryStringParameters = Object.keys(query).length > 0 ? joined(query, ',') : undefined
  const routeKey = options.format === 'url' ? '$default' : options.routeKey
  return {
    ...event,
    routeKey,
    rawPath: path,
    rawQueryString: url.search.slice(1),
    ...(cookies.length > 0 ? { cookies } : {}),
    queryStringParameters,
    ...(options.format === 'v2' && options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      ...event.requestContext,
      routeKey,
      http: {
        ...event.requestContext.http,
        sourceIp: request.sourceIp ?? '127.0.0.1',
        userAgent: headers['user-agent']?.join(',') ?? '',
      },
    },
  }
}
