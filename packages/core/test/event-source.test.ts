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
        expect(knownSources).toContain(eventSource(value))
      }),
      { numRuns: 2000 },
    )
  })

  test('HTTP API v2 needs version 2.0 and an http object; a missing domain name is not a function URL', () => {
    expect(eventSource({ version: '2.0', requestContext: { http: { method: 'GET' } } })).toBe('api-gateway-v2')
    expect(eventSource({ version: '1.0', requestContext: { http: {} }, httpMethod: 'GET' })).toBe('api-gateway-v1')
    expect(eventSource({ version: '2.0', requestContext: { http: 'GET' } })).toBe('unknown')
    expect(eventSource({ version: '2.0', requestContext: { http: {}, domainName: 42 } })).toBe('api-gateway-v2')
  })

  test('an empty Records array decides nothing: the other shapes still apply', () => {
    expect(eventSource({ Records: [], source: 'orders', 'detail-type': 'Order Placed' })).toBe('eventbridge')
  })

  test('EventBridge needs both source and detail-type as strings', () => {
    expect(eventSource({ source: 'orders', 'detail-type': 'Order Placed' })).toBe('eventbridge')
    expect(eventSource({ source: 'orders' })).toBe('unknown')
    expect(eventSource({ 'detail-type': 'Order Placed' })).toBe('unknown')
    expect(eventSource({ source: 'orders', 'detail-type': 7 })).toBe('unknown')
    expect(eventSource({ source: 7, 'detail-type': 'Order Placed' })).toBe('unknown')
  })

  test('property: a record batch is named by its first record’s tag, whatever else the records carry', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...recordTags),
        fc.constantFrom('eventSource', 'EventSource'),
        fc.dictionary(fc.string(), fc.anything()),
        fc.array(fc.anything(), { maxLength: 3 }),
        ([tag, expected], key, extra, rest) => {
          const first = { ...extra, [key]: tag }
          // SNS tags its records with EventSource; the others use eventSource: each key works.
          if (key === 'EventSource') delete (first as Record<string, unknown>).eventSource
          expect(eventSource({ Records: [first, ...rest] })).toBe(expected)
        },
      ),
    )
  })

  test('property: an object with none of the shapes Lamina knows is unknown', () => {
    const marker = new Set(['requestContext', 'Records', 'detail-type', 'source', 'version', 'httpMethod'])
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string().filter((key) => !marker.has(key)),
          fc.anything(),
        ),
        (event) => {
          expect(eventSource(event)).toBe('unknown')
        },
      ),
    )
  })
})

const knownSources = [
  'api-gateway-v1',
  'api-gateway-v2',
  'alb',
  'function-url',
  'sqs',
  'sns',
  's3',
  'dynamodb',
  'kinesis',
  'eventbridge',
  'unknown',
]

const recordTags = [
  ['aws:sqs', 'sqs'],
  ['aws:sns', 'sns'],
  ['aws:s3', 's3'],
  ['aws:dynamodb', 'dynamodb'],
  ['aws:kinesis', 'kinesis'],
] as const
