import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import type { EventBody } from './body.js'

/** What the adapter read from the platform's request, in the platform's own terms. */
export interface PlatformRequest {
  method: string
  url: URL
  /** Header names lower-case and unique (the platform has joined a repeated header). `cookie` included. */
  headers: Iterable<[string, string]>
  body: EventBody
  requestId: string
  sourceIp: string
  pathParameters: Record<string, string> | undefined
}

/** The seven methods API Gateway routes; the others are answered 501 by the adapters. */
export const supportedMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

// HTTP APIs hand Lambda a decoded path. decodeURI leaves reserved escapes (%2F, %3F, %23) as they
// are, so a segment never splits in two; a malformed escape keeps the path as it came.
function decodedPath(pathname: string): string {
  try {
    return decodeURI(pathname)
  } catch {
    return pathname
  }
}

/** The API Gateway HTTP API (v2) event for one platform request. */
export function toV2Event(request: PlatformRequest, now = new Date()): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {}
  let cookies: string[] | undefined
  for (const [name, value] of request.headers) {
    // As API Gateway does: the Cookie header becomes the `cookies` list and leaves `headers`.
    if (name === 'cookie') {
      cookies = value
        .split(';')
        .map((part) => part.trim())
        .filter((part) => part !== '')
    } else headers[name] = value
  }
  const query: Record<string, string> = {}
  for (const [name, value] of request.url.searchParams) {
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`
  }
  const path = decodedPath(request.url.pathname)
  const host = request.url.host
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: request.url.search.slice(1),
    ...(cookies === undefined ? {} : { cookies }),
    headers,
    ...(Object.keys(query).length === 0 ? {} : { queryStringParameters: query }),
    ...(request.pathParameters === undefined ? {} : { pathParameters: request.pathParameters }),
    ...(request.body.body === undefined ? {} : { body: request.body.body }),
    isBase64Encoded: request.body.isBase64Encoded,
    requestContext: {
      accountId: '',
      apiId: '',
      domainName: host,
      domainPrefix: host.split('.')[0] as string,
      http: {
        method: request.method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
  }
}
