import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch'
import { BatchFailureError, batch } from '@lamina/batch'
import { createContext, events } from '@lamina/testing'
import type { SQSRecord } from 'aws-lambda'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { collectingLogger, failedIds } from './helpers.js'

const Order = z.object({ id: z.string(), quantity: z.number().int().positive() })
const context = () => createContext({ timeoutMs: 60_000 })

describe('batch() on SQS', () => {
  it('hands each record the schema output and reports nothing when all succeed', async () => {
    // Prepare
    const seen: unknown[] = []
    const handler = batch({
      schema: Order.transform((order) => ({ ...order, total: order.quantity * 2 })),
      record: async (order) => void seen.push(order),
    })
    const event = events.sqs([
      { id: 'a', quantity: 1 },
      { id: 'b', quantity: 2 },
    ])

    // Act
    const response = await handler(event, context())

    // Assess
    expect(response).toEqual({ batchItemFailures: [] })
    expect(seen).toEqual([
      { id: 'a', quantity: 1, total: 2 },
      { id: 'b', quantity: 2, total: 4 },
    ])
  })

  it('reports a record that throws, one that fails its schema and one that is not JSON, by message id', async () => {
    // Prepare
    const logger = collectingLogger()
    const handler = batch({
      schema: Order,
      logger,
      record: async (order) => {
        if (order.id === 'boom') throw new Error('downstream refused')
      },
    })
    const event = events.sqs([
      { id: 'ok', quantity: 1 },
      { id: 'boom', quantity: 1 },
      { id: 'bad', quantity: -1 },
      'not json',
    ])
    const [, boom, bad, text] = event.Records as [SQSRecord, SQSRecord, SQSRecord, SQSRecord]

    // Act
    const response = await handler(event, context())

    // Assess
    expect(failedIds(response)).toEqual([boom.messageId, bad.messageId, text.messageId].sort())
    expect(logger.lines.map((line) => [line.level, line.message, line.fields.itemIdentifier])).toEqual(
      expect.arrayContaining([
        ['error', 'Batch record failed', boom.messageId],
        ['warn', 'Batch record is invalid', bad.messageId],
        ['warn', 'Batch record is invalid', text.messageId],
      ]),
    )
    const invalid = logger.lines.find((line) => line.fields.itemIdentifier === bad.messageId)
    expect(invalid?.fields.issues).toEqual([{ path: ['quantity'], message: expect.stringContaining('>0') }])
  })

  it('answers exactly what Powertools processPartialResponse answers for the same outcomes', async () => {
    // Prepare: the same records fail by hand and through batch()
    const event = events.sqs([1, 2, 3, 4, 5].map((n) => ({ n })))
    const fails = (body: string) => (JSON.parse(body) as { n: number }).n % 2 === 0
    const byHand = await processPartialResponse(
      event,
      async (record: SQSRecord) => {
        if (fails(record.body)) throw new Error('even')
      },
      new BatchProcessor(EventType.SQS),
      { context: context() },
    )
    const handler = batch({
      logger: collectingLogger(),
      record: async (_payload, meta) => {
        if (meta.source === 'sqs' && fails(meta.record.body)) throw new Error('even')
      },
    })

    // Act
    const response = await handler(event, context())

    // Assess
    expect(response).toEqual(byHand)
  })

  it('throws a BatchFailureError when every record fails, so Lambda retries the batch', async () => {
    // Prepare
    const handler = batch({ schema: Order, logger: collectingLogger(), record: () => undefined })

    // Act
    const outcome = handler(events.sqs([{ id: 1 }, { id: 2 }]), context())

    // Assess
    await expect(outcome).rejects.toThrow(BatchFailureError)
    await expect(outcome).rejects.toThrow(/All 2 records of the batch failed.*throwOnFullBatchFailure: false/)
    await outcome.catch((error: BatchFailureError) => expect(error.recordErrors).toHaveLength(2))
  })

  it('reports every record instead with throwOnFullBatchFailure: false', async () => {
    // Prepare
    const handler = batch({
      throwOnFullBatchFailure: false,
      logger: collectingLogger(),
      record: () => {
        throw new Error('no')
      },
    })
    const event = events.sqs([{}, {}])

    // Act
    const response = await handler(event, context())

    // Assess
    expect(failedIds(response)).toEqual(event.Records.map((record) => record.messageId).sort())
  })

  it("reads bodies as text with payload: 'text' and validates them with valibot", async () => {
    // Prepare
    const seen: string[] = []
    const handler = batch({
      source: 'sqs',
      payload: 'text',
      schema: v.pipe(v.string(), v.minLength(2)),
      logger: collectingLogger(),
      record: (line) => void seen.push(line),
    })
    const event = events.sqs(['hello', 'x'])

    // Act
    const response = await handler(event, context())

    // Assess
    expect(seen).toEqual(['hello'])
    expect(failedIds(response)).toEqual([event.Records[1]?.messageId])
  })

  it('answers an empty batch with no failures and never calls record', async () => {
    // Prepare
    let calls = 0
    const handler = batch({ record: () => void calls++ })

    // Act
    const response = await handler({ Records: [] }, context())

    // Assess
    expect(response).toEqual({ batchItemFailures: [] })
    expect(calls).toBe(0)
  })

  it('refuses an event from another source, naming it and the fix', async () => {
    // Prepare
    const sqsOnly = batch({ source: 'sqs', record: () => undefined })
    const anyBatch = batch({ record: () => undefined })

    // Act
    const wrongStream = sqsOnly(events.kinesis([{}]) as never, context())
    const notABatch = anyBatch(events.s3() as never, context())
    const nothing = anyBatch({} as never, context())

    // Assess
    await expect(wrongStream).rejects.toThrow("batch({ source: 'sqs' }) received a kinesis event")
    await expect(notABatch).rejects.toThrow('but this event is a s3 event')
    await expect(nothing).rejects.toThrow('but this event is none of those')
  })

  it('keeps the handler at two parameters, as the Node 24 runtime requires', () => {
    // Act
    const handler = batch({ record: () => undefined })

    // Assess
    expect(handler.length).toBe(2)
  })
})
