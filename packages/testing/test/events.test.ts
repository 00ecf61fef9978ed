import { events, httpEvents } from '@lamina/testing'
import { describe, expect, test } from 'vitest'

describe('HTTP event factories', () => {
  test.each(Object.entries(httpEvents))('%s: objects become JSON bodies with a JSON content type', (_name, factory) => {
    const event = factory({
      method: 'post',
      path: '/orders',
      body: { id: 'o-1' },
      query: { page: '2' },
    }) as unknown as Record<string, unknown>
    expect(JSON.parse(event.body as string)).toEqual({ id: 'o-1' })
    expect((event.headers as Record<string, string>)['content-type']).toBe('application/json')
    expect(event.queryStringParameters).toEqual({ page: '2' })
  })

  test.each(Object.entries(httpEvents))(
    '%s: string bodies pass as they are; an explicit content type is kept',
    (_name, factory) => {
      const event = factory({
        body: 'a=1',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }) as unknown as Record<string, unknown>
      expect(event.body).toBe('a=1')
      expect(event.headers).toEqual({ 'Content-Type': 'application/x-www-form-urlencoded' })
    },
  )

  test('method defaults to GET without a body and POST with one; v1 carries multi-value maps', () => {
    const v1 = events.apiGatewayV1({ headers: { a: '1' }, query: { q: 'x' }, pathParameters: { id: '7' } })
    expect(v1.httpMethod).toBe('GET')
    expect(v1.multiValueHeaders).toEqual({ a: ['1'] })
    expect(v1.multiValueQueryStringParameters).toEqual({ q: ['x'] })
    expect(v1.pathParameters).toEqual({ id: '7' })
    expect(events.apiGatewayV1({ body: 'x' }).httpMethod).toBe('POST')
    expect(events.apiGatewayV1().queryStringParameters).toBeNull()
    const v2 = events.apiGatewayV2({ method: 'put', query: { a: 'b c' }, requestId: 'r-1' })
    expect(v2.requestContext.http.method).toBe('PUT')
    expect(v2.rawQueryString).toBe('a=b+c')
    expect(v2.requestContext.requestId).toBe('r-1')
    expect(events.alb().body).toBe('')
    expect(events.functionUrl().requestContext.domainName).toContain('.lambda-url.')
  })
})

describe('record event factories', () => {
  test('one record per item, bodies as JSON, FIFO attributes on request', () => {
    const standard = events.sqs([{ id: 1 }, 'plain'])
    expect(standard.Records.map((record) => record.body)).toEqual(['{"id":1}', 'plain'])
    expect(new Set(standard.Records.map((record) => record.messageId)).size).toBe(2)
    const fifo = events.sqs([{}], { fifo: true })
    expect(fifo.Records[0]?.attributes.MessageGroupId).toBe('group-1')
    expect(fifo.Records[0]?.eventSourceARN).toMatch(/\.fifo$/)
  })

  test('S3 keys are URL-encoded as S3 delivers them; SNS, DynamoDB and Kinesis carry their payloads', () => {
    expect(events.s3(['a b/c.txt'], { bucket: 'b' }).Records[0]?.s3.object.key).toBe('a+b%2Fc.txt')
    expect(events.sns(['hi', { a: 1 }]).Records.map((r) => r.Sns.Message)).toEqual(['hi', '{"a":1}'])
    const stream = events.dynamodbStream([{ pk: { S: 'k' } }], 'pk')
    expect(stream.Records[0]?.dynamodb?.Keys).toEqual({ pk: { S: 'k' } })
    expect(events.dynamodbStream([{ other: { N: '1' } }]).Records[0]?.dynamodb?.Keys).toEqual({})
    const kinesis = events.kinesis([{ a: 1 }, 'raw'])
    expect(kinesis.Records.map((r) => Buffer.from(r.kinesis.data, 'base64').toString())).toEqual(['{"a":1}', 'raw'])
    expect(kinesis.Records[0]?.kinesis.sequenceNumber).not.toBe(kinesis.Records[1]?.kinesis.sequenceNumber)
  })

  test('EventBridge events carry the detail; a schedule looks like EventBridge’s', () => {
    const placed = events.eventBridge('Order Placed', { id: 'o-1' }, 'shop')
    expect(placed['detail-type']).toBe('Order Placed')
    expect(placed.detail).toEqual({ id: 'o-1' })
    const tick = events.scheduled('nightly')
    expect(tick).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} })
    expect(tick.resources[0]).toMatch(/rule\/nightly$/)
  })
})
