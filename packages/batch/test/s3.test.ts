import { batch, type S3ObjectEvent, s3Notification, s3Objects } from '@lamina/batch'
import { createContext, events } from '@lamina/testing'
import { describe, expect, it } from 'vitest'
import { collectingLogger, failedIds } from './helpers.js'

describe('s3Objects()', () => {
  it('reads a direct S3 notification, decoding keys as S3 encodes them', () => {
    // Act
    const objects = s3Objects(events.s3(['reports/Q1 2026+final.csv'], { bucket: 'in', size: 42 }))

    // Assess
    expect(objects).toEqual([
      expect.objectContaining({
        via: 'notification',
        eventName: 'ObjectCreated:Put',
        bucket: 'in',
        key: 'reports/Q1 2026+final.csv',
        rawKey: 'reports%2FQ1+2026%2Bfinal.csv',
        size: 42,
        eTag: 'etag',
        sequencer: '0A1B2C3D4E5F678901',
        region: 'us-east-1',
      }),
    ])
  })

  it('reads a notification delivered as an SQS body (JSON text)', () => {
    // Prepare
    const body = events.sqs([events.s3(['a.txt', 'b.txt'])]).Records[0]!.body

    // Act
    const keys = s3Objects(body).map((object) => object.key)

    // Assess
    expect(keys).toEqual(['a.txt', 'b.txt'])
  })

  it("reads S3's EventBridge event", () => {
    // Act
    const [object] = s3Objects(events.s3EventBridge('in/new file.json', { bucket: 'landing', size: 7 }))

    // Assess
    expect(object).toEqual(
      expect.objectContaining({
        via: 'eventbridge',
        eventName: 'Object Created',
        bucket: 'landing',
        key: 'in/new file.json',
        size: 7,
      }),
    )
  })

  it("gives nothing for S3's test event and keeps a key with a literal % as it is", () => {
    // Prepare
    const notification = events.s3(['x'])
    notification.Records[0]!.s3.object.key = '100%+done'

    // Act
    const test = s3Objects({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'in' })
    const [literal] = s3Objects(notification)

    // Assess
    expect(test).toEqual([])
    expect(literal?.key).toBe('100% done')
  })

  it('leaves out what a deletion or a sparse event does not carry', () => {
    // Prepare
    const notification = { Records: [{ eventSource: 'aws:s3', s3: { bucket: { name: 'b' }, object: { key: 'k' } } }] }
    const bridged = { source: 'aws.s3', detail: { bucket: { name: 'b' }, object: { key: 'k' } } }

    // Act
    const objects = [...s3Objects(notification), ...s3Objects(bridged)]

    // Assess
    for (const object of objects) {
      expect(object).toMatchObject({ eventName: '', eventTime: '', region: '', key: 'k', bucket: 'b' })
      expect([object.size, object.eTag, object.versionId, object.sequencer]).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
      ])
    }
  })

  it.each([
    ['null', null, 'Expected an S3 event notification'],
    ['a record without s3', { Records: [{ eventSource: 'aws:s3' }] }, 'Expected an S3 event record'],
    [
      'an EventBridge event with a bucket but no object',
      { source: 'aws.s3', detail: { bucket: { name: 'b' } } },
      'detail.object.key',
    ],
    ['a plain object', { hello: 'world' }, 'Expected an S3 event notification'],
    ['text that is not JSON', 'not json', 'the text is not JSON'],
    ['a record that is not from S3', { Records: [{ eventSource: 'aws:sqs' }] }, 'Expected an S3 event record'],
    [
      'an EventBridge event without an object',
      { source: 'aws.s3', detail: {} },
      'detail.bucket.name and detail.object.key',
    ],
  ])('refuses %s, naming what it takes', (_name, input, message) => {
    // Act
    const read = () => s3Objects(input)

    // Assess
    expect(read).toThrow(TypeError)
    expect(read).toThrow(message)
  })
})

describe('s3Notification as a batch schema', () => {
  it('turns each SQS record written by S3 or EventBridge into typed objects, and fails the rest', async () => {
    // Prepare
    const seen: S3ObjectEvent[] = []
    const handler = batch({
      source: 'sqs',
      schema: s3Notification,
      logger: collectingLogger(),
      record: (objects) => void seen.push(...objects),
    })
    const event = events.sqs([events.s3(['one.csv']), events.s3EventBridge('two.csv'), { not: 's3' }])

    // Act
    const response = await handler(event, createContext())

    // Assess
    expect(seen.map((object) => [object.via, object.key])).toEqual([
      ['notification', 'one.csv'],
      ['eventbridge', 'two.csv'],
    ])
    expect(failedIds(response)).toEqual([event.Records[2]?.messageId])
  })
})
