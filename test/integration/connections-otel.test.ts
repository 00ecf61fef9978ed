// Outgoing calls in the OpenTelemetry mode: a real AWS SDK v3 client and fetch, made through
// @lamina/connections, against a service on 127.0.0.1 that records the headers it receives; the
// spans are read back from an OTLP/HTTP receiver.
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { clients, tracedFetch } from '@lamina/connections'
import { wrap } from '@lamina/core'
import { createContext, newTraceId, setLambdaEnvironment, traceHeader } from '@lamina/testing'
import { tracing } from '@lamina/tracer'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../support/otlp-receiver.js'

let receiver: OtlpReceiver
let restoreEnvironment: () => void
let traceId: string
const received: { path: string; headers: IncomingHttpHeaders }[] = []

// Answers Secrets Manager's GetSecretValue (JSON 1.1) on POST, 200 on GET /ping, 503 on GET /down.
const service = createServer(async (request, response) => {
  let body = ''
  for await (const chunk of request) body += chunk
  received.push({ path: request.url ?? '', headers: request.headers })
  if (request.method === 'POST' && body.includes('"missing"')) {
    response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' })
    response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'no such secret' }))
    return
  }
  if (request.method === 'POST') {
    response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
    response.end(
      JSON.stringify({
        ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db',
        Name: 'db',
        SecretString: 's3cr3t-value',
      }),
    )
    return
  }
  response.writeHead(request.url === '/down' ? 503 : 200).end('pong')
})
let endpoint: string

beforeAll(async () => {
  await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(service.address() as AddressInfo).port}`
  receiver = await startOtlpReceiver()
  restoreEnvironment = setLambdaEnvironment({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    POWERTOOLS_TRACE_ENABLED: undefined,
    LAMINA_TRACING: undefined,
  })
})

beforeEach(() => {
  receiver.spans.length = 0
  received.length = 0
  traceId = newTraceId()
  process.env._X_AMZN_TRACE_ID = traceHeader(traceId)
})

afterAll(async () => {
  restoreEnvironment()
  await receiver.close()
  service.closeAllConnections()
  service.close()
})

const secretsClient = () =>
  new SecretsManagerClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  })

const otelTraceId = (xrayTraceId: string) => xrayTraceId.slice(2).replace('-', '')

describe('connections with tracing off', () => {
  it('leaves SDK clients and fetch untouched: no span, no traceparent, no middleware added', async () => {
    // Prepare
    const made: SecretsManagerClient[] = []
    const handler = wrap<object>()
      .use(tracing({ mode: 'otel', enabled: false }))
      .use(
        clients({
          secrets: () => made[made.push(secretsClient()) - 1] as SecretsManagerClient,
          http: () => tracedFetch(),
        }),
      )
      .handler(async (_, context) => {
        await context.clients.secrets.send(new GetSecretValueCommand({ SecretId: 'db' }))
        return (await context.clients.http(`${endpoint}/ping`)).status
      })

    // Act
    const status = await handler({}, createContext())

    // Assess
    expect(status).toBe(200)
    expect(made[0]?.middlewareStack.identify().some((entry) => entry.includes('laminaOutgoingSpans'))).toBe(false)
    expect(received.map(({ headers }) => headers.traceparent)).toEqual([undefined, undefined])
    expect(receiver.requests).toBe(0)
  })
})

describe("connections with tracing({ mode: 'otel' })", () => {
  it('makes a client span per SDK operation and per fetch, under the invocation, and sends their trace headers', async () => {
    // Prepare
    const handler = wrap<object>()
      .use(tracing({ mode: 'otel' }))
      .use(clients({ secrets: secretsClient, http: () => tracedFetch() }))
      .handler(async (_, context) => {
        const secret = await context.clients.secrets.send(new GetSecretValueCommand({ SecretId: 'db' }))
        const response = await context.clients.http(`${endpoint}/ping`, {
          method: 'post',
          headers: { 'x-kept': 'yes' },
        })
        return { secret: secret.Name, status: response.status }
      })

    // Act
    const answer = await handler({}, createContext())

    // Assess: the spans...
    expect(answer).toEqual({ secret: 'db', status: 200 })
    const spans = await receiver.waitFor(3)
    const [invocation] = spans.filter((span) => span.kind === 2)
    const sdk = spans.find((span) => span.name === 'SecretsManager.GetSecretValue') as ReceivedSpan
    const fetched = spans.find((span) => span.name === 'POST') as ReceivedSpan
    for (const span of [sdk, fetched]) {
      expect(span).toMatchObject({ kind: 3, traceId: otelTraceId(traceId), parentSpanId: invocation?.spanId })
    }
    expect(sdk.attributes).toMatchObject({
      'rpc.system': 'aws-api',
      'rpc.service': 'SecretsManager',
      'rpc.method': 'GetSecretValue',
      'http.response.status_code': 200,
    })
    expect(fetched.attributes).toMatchObject({
      'http.request.method': 'POST',
      'url.full': `${endpoint}/ping`,
      'server.address': '127.0.0.1',
      'http.response.status_code': 200,
    })
    // ...and what the service received: each call's own span as the parent, in both header forms.
    const [sdkCall, fetchCall] = received as [(typeof received)[0], (typeof received)[0]]
    expect(sdkCall.headers['x-amzn-trace-id']).toBe(`Root=${traceId};Parent=${sdk.spanId};Sampled=1`)
    expect(sdkCall.headers.traceparent).toBe(`00-${otelTraceId(traceId)}-${sdk.spanId}-01`)
    expect(fetchCall.headers['x-amzn-trace-id']).toBe(`Root=${traceId};Parent=${fetched.spanId};Sampled=1`)
    expect(fetchCall.headers['x-kept']).toBe('yes')
  })

  it('records failed calls as errors: an SDK error, a 5xx answer, a refused connection', async () => {
    // Prepare
    const handler = wrap<object>()
      .use(tracing({ mode: 'otel' }))
      .use(clients({ secrets: secretsClient, http: () => tracedFetch({ dispatcher: undefined }) }))
      .handler(async (_, context) => {
        const missing = await context.clients.secrets
          .send(new GetSecretValueCommand({ SecretId: 'missing' }))
          .catch((error: Error) => error.name)
        const down = await context.clients.http(new Request(`${endpoint}/down`))
        const refused = await context.clients.http('http://127.0.0.1:9/').catch((error: unknown) => error)
        return { missing, down: down.status, refused: refused instanceof Error }
      })

    // Act
    const answer = await handler({}, createContext())

    // Assess
    expect(answer).toEqual({ missing: 'ResourceNotFoundException', down: 503, refused: true })
    const calls = (await receiver.waitFor(4)).filter((span) => span.kind === 3)
    expect(calls.map((span) => [span.name, span.attributes['http.response.status_code'], span.status])).toEqual([
      ['SecretsManager.GetSecretValue', 400, { code: 2, message: 'no such secret' }],
      ['GET', 503, { code: 2 }],
      ['GET', undefined, { code: 2, message: 'fetch failed' }],
    ])
    expect(calls[2]?.events[0]?.name).toBe('exception')
  })

  it('makes no span for a call outside any invocation, and still makes the call', async () => {
    // Prepare: the OpenTelemetry mode is loaded in this process by now.
    const http = tracedFetch()

    // Act
    const response = await new Promise<Response>((resolve, reject) => {
      // A timer set outside the invocations' flows.
      setImmediate(() => http(`${endpoint}/ping`).then(resolve, reject))
    })

    // Assess
    expect(response.status).toBe(200)
    expect(received[0]?.headers.traceparent).toBeUndefined()
  })
})
