import { eventSource, isHttpEventSource } from '@lamina/core'
import { events } from '@lamina/testing'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'

describe('eventSource', () => {
  test.each([
    ['api-gateway-v1', events.apiGatewayV1()],
    ['api-gateway-v2', events.apiGatewayV2()],
    ['alb', events.alb()],
    ['function-url', events.functionUrl()],
    ['sqs', events.sqs()],
    ['sns', events.sns()],
    ['s3', events.s3()],
    ['dynamodb', events.dynamodbStream()],
    ['kinesis', events.kinesis()],
    ['eventbridge', events.eventBridge('Order Placed', {})],
    ['eventbridge', events.scheduled()],
  ])('recognises %s', (expected, event) => {
    expect(eventSource(event)).toBe(expected)
  })

  test('only the four HTTP sources are HTTP', () => {
    const http = ['api-gateway-v1', 'api-gateway-v2', 'alb', 'function-url'] as const
    for (const source of http) expect(isHttpEventSource(source)).toBe(true)
    for (const source of ['sqs', 'sns', 's3', 'dynamodb', 'kinesis', 'eventbridge', 'unknown'] as const) {
      expect(isHttpEventSource(source)).toBe(false)
    }
  })

  test('odd shapes are unknown, never a crash (records tagged with prototype keys included)', () => {
    for (const odd of [
      null,
      undefined,
      'text',
      42,
      [],
      {},
      { Records: [] },
      { Records: [null] },
      { Records: [{ eventSource: 'constructor' }] },
      { requestContext: {} },
      { requestContext: null },
    ]) {
      expect(eventSource(odd)).toBe('unknown')
    }
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const source = eventSource(value)
        expect(typeof source).toBe('string')
      }),
      { numRuns: 2000 },
    )
  })
})
