import { batch, type DynamoDBChange, type RecordMeta, type S3ObjectEvent, s3Notification } from '@lamina/batch'
import { wrap } from '@lamina/core'
import type { DynamoDBStreamEvent, KinesisStreamEvent, SQSEvent, SQSRecord } from 'aws-lambda'
import * as v from 'valibot'
import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'

const Order = z.object({ id: z.string(), quantity: z.coerce.number() })

describe('batch() types', () => {
  it("types the record callback with the zod schema's output", () => {
    batch({
      schema: Order,
      record: (order) => {
        expectTypeOf(order).toEqualTypeOf<{ id: string; quantity: number }>()
        // @ts-expect-error: not in the schema
        order.price
      },
    })
  })

  it("types it with a valibot schema's output, transforms included", () => {
    batch({
      schema: v.pipe(
        v.string(),
        v.transform((text) => text.length),
      ),
      payload: 'text',
      record: (length) => expectTypeOf(length).toEqualTypeOf<number>(),
    })
  })

  it('gives unknown without a schema, a string for text and a DynamoDBChange on DynamoDB', () => {
    batch({ record: (payload) => expectTypeOf(payload).toEqualTypeOf<unknown>() })
    batch({ source: 'sqs', payload: 'text', record: (payload) => expectTypeOf(payload).toEqualTypeOf<string>() })
    batch({ source: 'dynamodb', record: (change) => expectTypeOf(change).toEqualTypeOf<DynamoDBChange>() })
  })

  it("narrows meta.record to the source's record type", () => {
    batch({
      source: 'sqs',
      record: (_payload, meta) => {
        expectTypeOf(meta.record).toEqualTypeOf<SQSRecord>()
        expectTypeOf(meta.signal).toEqualTypeOf<AbortSignal>()
        expectTypeOf(meta.itemIdentifier).toEqualTypeOf<string>()
      },
    })
    batch({
      record: (_payload, meta: RecordMeta) => {
        if (meta.source === 'kinesis') expectTypeOf(meta.record.kinesis.data).toEqualTypeOf<string>()
      },
    })
  })

  it("types the handler's event from the source", () => {
    expectTypeOf(batch({ source: 'sqs', record: () => undefined }))
      .parameter(0)
      .toEqualTypeOf<SQSEvent>()
    expectTypeOf(batch({ source: 'kinesis', record: () => undefined }))
      .parameter(0)
      .toEqualTypeOf<KinesisStreamEvent>()
    expectTypeOf(batch({ record: () => undefined }))
      .parameter(0)
      .toEqualTypeOf<SQSEvent | KinesisStreamEvent | DynamoDBStreamEvent>()
    expectTypeOf(batch({ record: () => undefined })).returns.resolves.toEqualTypeOf<{
      batchItemFailures: { itemIdentifier: string }[]
    }>()
  })

  it('types S3 records through s3Notification', () => {
    batch({
      source: 'sqs',
      schema: s3Notification,
      record: (objects) => expectTypeOf(objects).toEqualTypeOf<S3ObjectEvent[]>(),
    })
  })

  it('allows fifo only where SQS can be the source', () => {
    batch({ source: 'sqs', fifo: { skipGroupOnError: true }, record: () => undefined })
    // @ts-expect-error: a Kinesis stream has no FIFO option
    batch({ source: 'kinesis', fifo: true, record: () => undefined })
  })

  it('refuses an unknown source and an unknown payload format', () => {
    // @ts-expect-error: SNS does not report partial batch failures
    batch({ source: 'sns', record: () => undefined })
    // @ts-expect-error: only json and text
    batch({ payload: 'xml', record: () => undefined })
  })

  it('runs inside wrap(), in both forms', () => {
    const handler = batch({ source: 'sqs', schema: Order, record: () => undefined })
    expectTypeOf(wrap(handler)).parameter(0).toEqualTypeOf<SQSEvent>()
    expectTypeOf(wrap<SQSEvent>().handler(handler)).returns.resolves.toEqualTypeOf<{
      batchItemFailures: { itemIdentifier: string }[]
    }>()
  })
})
