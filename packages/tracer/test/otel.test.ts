import { armTimeout, type Middleware, wrap } from '@lamina/core'
import { createContext, httpEvents, newTraceId, setLambdaEnvironment, traceHeader } from '@lamina/testing'
import { otelHooks, tracing } from '@lamina/tracer'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from '../../../test/support/otlp-receiver.js'

let receiver: OtlpReceiver
let restoreEnvironment: () => void
let traceId: string

beforeAll(async () => {
  receiver = await startOtlpReceiver()
  restoreEnvironment = setLambdaEnvironment({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_SERVICE_NAME: undefined,
    POWERTOOLS_TRACE_ENABLED: undefined,
    LAMINA_TRACING: undefined,
  })
})

beforeEach(() => {
  receiver.spans.length = 0
  traceId = newTraceId()
  process.env._X_AMZN_TRACE_ID = traceHeader(traceId)
})

afterAll(async () => {
  restoreEnvironment()
  await receiver.close()
})

/** The X-Ray trace id `1-xxxxxxxx-yyyy…` as OpenTelemetry spells it: 32 hex digits. */
const otelTraceId = (xrayTraceId: string) => xrayTraceId.slice(2).replace('-', '')
const lambdaSegmentId = '53995c3f42cd8ad8'
const byName = (spans: ReceivedSpan[], name: string) => spans.filter((span) => span.name === name)

describe("tracing({ mode: 'otel' }): the handler span", () => {
  it('continues Lambda’s trace with one server span carrying the FaaS attributes, exported before the answer', async () => {
    // Prepare
    const handler = wrap(async () => ({ statusCode: 201, body: 'ok' })).use(tracing({ mode: 'otel' }))

    // Act
    const response = await handler(httpEvents.apiGatewayV2({ method: 'POST', path: '/orders' }), createContext())

    // Assess: exported already, when the invocation answered.
    expect(response).toEqual({ statusCode: 201, body: 'ok' })
    expect(receiver.spans).toHaveLength(1)
    const [span] = receiver.spans as [ReceivedSpan]
    expect(span).toMatchObject({
      traceId: otelTraceId(traceId),
      parentSpanId: lambdaSegmentId,
      name: 'lamina-test',
      kind: 2,
      status: { code: 0 },
    })
    expect(span.attributes).toMatchObject({
      'faas.trigger': 'http',
      'faas.coldstart': true,
      'cloud.account.id': '123456789012',
      'http.request.method': 'POST',
      'http.response.status_code': 201,
    })
    expect(span.attributes['faas.invocation_id']).toMatch(/^[0-9a-f-]{36}$/)
    expect(span.resource).toMatchObject({ 'service.name': 'lamina-test', 'cloud.platform': 'aws_lambda' })
  })
})
