// lamina dev's stand-ins for what a template declares, each reached by the functions' real AWS SDK v3
// clients through AWS_ENDPOINT_URL_<SERVICE>: DynamoDB (dynalite, tables and indexes created), S3
// (s3rver, a bucket whose notifications reach an SQS-triggered function), EventBridge (PutEvents
// delivered to the functions whose rule matches).
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from './support/dev-server.js'

const fixture = fileURLToPath(new URL('../fixtures/aws-stand-ins/', import.meta.url))
let server: TestServer

/** Answers of known shapes, read loosely as tests do. */
type Json = any

beforeAll(async () => {
  server = await startTestServer({ dir: fixture })
})
afterAll(() => server?.close())

const url = (path: string) => `${server.url}${path}`
const records = (functionName: string) => server.history.list().filter((entry) => entry.functionName === functionName)

describe('lamina dev: stand-ins in the startup banner', () => {
  it('lists each stand-in on 127.0.0.1, and each function with its entry and events', () => {
    expect(server.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}stand-in: DynamoDB on http:\/\/127\.0\.0\.1:\d+ \(dynalite\), tables Items$/),
        expect.stringMatching(/^ {2}stand-in: S3 on http:\/\/127\.0\.0\.1:\d+ \(s3rver\), buckets uploads /),
        expect.stringMatching(/^ {2}stand-in: EventBridge on http:\/\/127\.0\.0\.1:\d+ \(PutEvents\), buses Bus$/),
        '  ItemsFunction (src/items.handler): PUT /items/{id}, GET /items/{id}, GET /skus/{sku}',
        '  OrderPlacedFunction (src/record.handler): EventBridge rule OrderPlacedFunctionPlaced on Bus',
      ]),
    )
  })
})

describe('lamina dev: DynamoDB (dynalite)', () => {
  it("creates the template's table and index: a function writes, reads and queries it with the real client", async () => {
    // Act
    const put = await fetch(url('/items/a1'), { method: 'PUT', body: JSON.stringify({ sku: 'mug' }) })
    await fetch(url('/items/a2'), { method: 'PUT', body: JSON.stringify({ sku: 'mug' }) })
    const read = await fetch(url('/items/a1'))
    const missing = await fetch(url('/items/zz'))
    const bySku: Json = await (await fetch(url('/skus/mug'))).json()
    // Assess
    expect(put.status).toBe(201)
    expect(await put.json()).toEqual({ table: 'Items', arn: 'arn:aws:dynamodb:us-east-1:123456789012:table/Items' })
    expect(await read.json()).toEqual({ id: 'a1', sku: 'mug' })
    expect(missing.status).toBe(404)
    expect(bySku.sort()).toEqual(['a1', 'a2'])
  })
})

describe('lamina dev: S3 (s3rver) notifying an SQS-triggered function', () => {
  it('an object PUT through /_lamina/s3 reaches the function, which reads it with the S3 client and writes its output', async () => {
    // Act
    const put = await fetch(url('/_lamina/s3/uploads/in/hello%20world.txt'), {
      method: 'PUT',
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    })
    const answer: Json = await put.json()
    const output = await fetch(url('/_lamina/s3/uploads/out/hello%20world.txt'))
    // Assess
    expect(answer).toMatchObject({
      bucket: 'uploads',
      key: 'in/hello world.txt',
      size: 5,
      delivered: [{ function: 'UploadFunction', queue: 'UploadsQueue', failed: false }],
    })
    expect(await output.text()).toBe('HELLO')
    const [delivery] = records('UploadFunction')
    const body = JSON.parse((delivery as Json).event.Records[0].body)
    expect(body.Records[0]).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' },
        object: { key: 'in/hello+world.txt', size: 5 },
      },
    })
    expect(
      server.lines.some((line) =>
        line.startsWith('S3 uploads/in/hello world.txt → SQS UploadsQueue → UploadFunction → 0 of 1 failed'),
      ),
    ).toBe(true)
  })

  it('reports the message the function failed; objects outside the prefix notify nobody; GET and DELETE pass through', async () => {
    // Act
    const failed: Json = await (
      await fetch(url('/_lamina/s3/uploads/in/bad.txt'), { method: 'PUT', body: 'fail' })
    ).json()
    const outside: Json = await (
      await fetch(url('/_lamina/s3/uploads/other/x.txt'), { method: 'PUT', body: 'x' })
    ).json()
    const deleted = await fetch(url('/_lamina/s3/uploads/other/x.txt'), { method: 'DELETE' })
    const gone = await fetch(url('/_lamina/s3/uploads/other/x.txt'))
    const post = await fetch(url('/_lamina/s3/uploads/other/x.txt'), { method: 'POST' })
    // Assess
    expect(failed.delivered).toEqual([expect.objectContaining({ function: 'UploadFunction', failed: true })])
    expect(
      server.lines.some((line) =>
        line.startsWith('S3 uploads/in/bad.txt → SQS UploadsQueue → UploadFunction → 1 of 1 failed'),
      ),
    ).toBe(true)
    expect(outside.delivered).toEqual([])
    expect(deleted.status).toBe(204)
    expect(gone.status).toBe(404)
    expect(post.status).toBe(405)
  })
})

describe('lamina dev: EventBridge (PutEvents)', () => {
  it("delivers a published event to the rule-matched function as EventBridge's event, and not to the others", async () => {
    // Prepare
    const before = records('BillingFunction').length
    // Act
    const published: Json = await (
      await fetch(url('/publish'), {
        method: 'POST',
        body: JSON.stringify([
          { source: 'shop.orders', type: 'OrderPlaced', detail: { orderId: 'o-1', total: 12.5 } },
          { source: 'shop.orders', type: 'OrderPlaced', detail: { orderId: 'o-2', total: 0 } },
          { source: 'shop.orders', type: 'OrderPlaced', detail: { orderId: 'o-3', total: 5, coupon: 'X' } },
        ]),
      })
    ).json()
    // Assess
    expect(published).toMatchObject({ FailedEntryCount: 0, Entries: [{ EventId: expect.any(String) }, {}, {}] })
    const delivered = records('OrderPlacedFunction')
    expect(delivered.map((entry) => (entry.event as Json).detail.orderId)).toEqual(['o-1'])
    expect(delivered[0]?.event).toEqual({
      version: '0',
      id: published.Entries[0].EventId,
      'detail-type': 'OrderPlaced',
      source: 'shop.orders',
      account: '123456789012',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'us-east-1',
      resources: [],
      detail: { orderId: 'o-1', total: 12.5 },
    })
    expect(records('BillingFunction')).toHaveLength(before)
    expect(
      server.lines.some((line) =>
        line.startsWith(
          'EventBridge shop.orders OrderPlaced → rule OrderPlacedFunctionPlaced → OrderPlacedFunction → done',
        ),
      ),
    ).toBe(true)
    expect(server.lines).toContain('EventBridge shop.orders OrderPlaced on Bus: no rule matches')
  })

  it('answers failed entries as EventBridge does, and delivers a prefix-matched source', async () => {
    const published: Json = await (
      await fetch(url('/publish'), {
        method: 'POST',
        body: JSON.stringify([
          { source: 'shop.billing.v2', type: 'Invoiced', detail: { invoice: 7 } },
          { source: '', type: 'Nothing', detail: {} },
        ]),
      })
    ).json()
    expect(published).toMatchObject({
      FailedEntryCount: 1,
      Entries: [{ EventId: expect.any(String) }, { ErrorCode: 'InvalidArgument' }],
    })
    expect(records('BillingFunction').map((entry) => (entry.event as Json).detail)).toEqual([{ invoice: 7 }])
  })
})
