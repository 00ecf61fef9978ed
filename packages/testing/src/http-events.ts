import { randomUUID } from 'node:crypto'
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2, LambdaFunctionURLEvent } from 'aws-lambda'

export interface HttpRequestInput {
  method?: string
  path?: string
  headers?: Record<string, string>
  query?: Record<string, string>
  pathParameters?: Record<string, string>
  /** A string is sent as it is; anything else is sent as JSON with a JSON content type. */
  body?: unknown
  isBase64Encoded?: boolean
  requestId?: string
}

interface NormalisedRequest {
  method: string
  path: string
  headers: Record<string, string>
  query: Record<string, string> | undefined
  pathParameters: Record<string, string> | undefined
  body: string | null
  isBase64Encoded: boolean
  requestId: string
}

function normalise(input: HttpRequestInput): NormalisedRequest {
  const headers = { ...input.headers }
  let body: string | null = null
  if (typeof input.body === 'string') body = input.body
  else if (input.body !== undefined) {
    body = JSON.stringify(input.body)
    const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')
    if (!hasType) headers['content-type'] = 'application/json'
  }
  return {
    method: (input.method ?? (body === null ? 'GET' : 'POST')).toUpperCase(),
    path: input.path ?? '/',
    headers,
    query: input.query && Object.keys(input.query).length > 0 ? input.query : undefined,
    pathParameters: input.pathParameters,
    body,
    isBase64Encoded: input.isBase64Encoded ?? false,
    requestId: input.requestId ?? randomUUID(),
  }
}

const rawQuery = (query: Record<string, string> | undefined) => new URLSearchParams(query).toString()
const now = () => new Date()

/** API Gateway REST API (payload format 1.0). */
export function apiGatewayV1(input: HttpRequestInput = {}): APIGatewayProxyEvent {
  const r = normalise(input)
  const multiValue = (values: Record<string, string> | undefined) =>
    values ? Object.fromEntries(Object.entries(values).map(([key, value]) => [key, [value]])) : null
  return {
    resource: r.path,
    path: r.path,
    httpMethod: r.method,
    headers: r.headers,
    multiValueHeaders: multiValue(r.headers) ?? {},
    queryStringParameters: r.query ?? null,
    multiValueQueryStringParameters: multiValue(r.query),
    pathParameters: r.pathParameters ?? null,
    stageVariables: null,
    body: r.body,
    isBase64Encoded: r.isBase64Encoded,
    requestContext: {
      accountId: '123456789012',
      apiId: 'lamina1234',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: r.method,
      identity: {
        sourceIp: '127.0.0.1',
        userAgent: 'lamina-testing',
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/test${r.path}`,
      stage: 'test',
      requestId: r.requestId,
      requestTimeEpoch: now().getTime(),
      resourceId: 'abc123',
      resourcePath: r.path,
    },
  }
}

function v2Shape(r: NormalisedRequest, domainName: string) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: r.path,
    rawQueryString: rawQuery(r.query),
    headers: r.headers,
    queryStringParameters: r.query,
    pathParameters: r.pathParameters,
    body: r.body ?? undefined,
    isBase64Encoded: r.isBase64Encoded,
    requestContext: {
      accountId: '123456789012',
      apiId: domainName.split('.')[0] as string,
      domainName,
      domainPrefix: domainName.split('.')[0] as string,
      http: {
        method: r.method,
        path: r.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'lamina-testing',
      },
      requestId: r.requestId,
      routeKey: '$default',
      stage: '$default',
      time: now().toISOString(),
      timeEpoch: now().getTime(),
    },
  }
}

/** API Gateway HTTP API (payload format 2.0). */
export function apiGatewayV2(input: HttpRequestInput = {}): APIGatewayProxyEventV2 {
  return v2Shape(normalise(input), 'lamina1234.execute-api.us-east-1.amazonaws.com')
}

/** Lambda function URL. */
export function functionUrl(input: HttpRequestInput = {}): LambdaFunctionURLEvent {
  const { pathParameters: _, ...event } = v2Shape(normalise(input), 'abcdefghij.lambda-url.us-east-1.on.aws')
  return event as LambdaFunctionURLEvent
}

/** Application Load Balancer target (single-value headers). */
export function alb(input: HttpRequestInput = {}): ALBEvent {
  const r = normalise(input)
  return {
    requestContext: {
      elb: {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lamina/0123456789abcdef',
      },
    },
    httpMethod: r.method,
    path: r.path,
    queryStringParameters: r.query ?? {},
    headers: r.headers,
    body: r.body ?? '',
    isBase64Encoded: r.isBase64Encoded,
  }
}
