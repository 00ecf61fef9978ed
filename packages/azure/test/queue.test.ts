import { InvocationContext } from '@azure/functions'
import { AzureQueueFailureError, toAzureQueue } from '@lamina/azure'
import { batch } from '@lamina/batch'
import type { SQSEvent } from 'aws-lambda'
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'

const Order = z.object({ orderId: z.string(), quantity: z.number().int().positive() })

describe('toAzureQueue: Storage Queue and Service Bus messages as SQS records', () => {
  it('hands a Storage Queue message (parsed by the host) to batch() as one SQS record', async () => {
    // Prepare
    const seen: { orderId: string; quantity: number }[] = []
    const handler = toAzureQueue(
      batch({ source: 'sqs', schema: Order, record: async (order) => void seen.push(order) }),
    )
    const context = new InvocationContext({
      invocationId: 'inv-1',
      functionName: 'orders',
      triggerMetadata: { id: 'm-1', dequeueCount: 2, insertionTime: '2026-11-27T10:00:00.000Z' },
    })

    // Act
    await handler({ orderId: 'o-1', quantity: 2 }, context)

    // Assess
    expect(seen).toEqual([{ orderId: 'o-1', quantity: 2 }])
  })

  it('builds the record from the trigger metadata', async () => {
    // Prepare
    let event: SQSEvent | undefined
    const handler = toAzureQueue(async (received) => {
      event = received
    })
    const context = new InvocationContext({
      invocationId: 'inv-2',
      functionName: 'orders',
      triggerMetadata: { id: 'm-1', dequeueCount: 2, insertionTime: '2026-11-27T10:00:00.000Z' },
    })

    // Act
    await handler('plain text', context)

    // Assess
    expect(event!.Records).toEqual([
      expect.objectContaining({
        messageId: 'm-1',
        body: 'plain text',
        eventSource: 'aws:sqs',
        eventSourceARN: 'azure:orders',
        attributes: expect.objectContaining({
          ApproximateReceiveCount: '2',
          SentTimestamp: String(Date.parse('2026-11-27T10:00:00.000Z')),
        }),
      }),
    ])
  })

  it('maps a Service Bus batch (cardinality many) record by record, and fails the delivery when one fails', async () => {
    // Prepare
    const handler = toAzureQueue(
      batch({
        source: 'sqs',
        schema: Order,
        record: async (order) => {
          if (order.orderId === 'bad') throw new Error('out of stock')
        },
      }),
    )
    const context = new InvocationContext({
      invocationId: 'inv-3',
      functionName: 'orders',
      triggerMetadata: {
        messageIdArray: ['sb-1', 'sb-2'],
        deliveryCountArray: [1, 1],
        enqueuedTimeUtcArray: [new Date('2026-11-27T10:00:00Z'), new Date('2026-11-27T10:00:01Z')],
      },
    })
    const messages = [Buffer.from(JSON.stringify({ orderId: 'ok', quantity: 1 })), { orderId: 'bad', quantity: 1 }]
    vi.spyOn(console, 'error').mockImplementation(() => {})

    // Act
    const failure = await handler(messages, context).catch((error: unknown) => error)

    // Assess
    expect(failure).toBeInstanceOf(AzureQueueFailureError)
    expect((failure as AzureQueueFailureError).messageIds).toEqual(['sb-2'])
    expect((failure as Error).message).toMatch(/1 message\(s\) failed \(sb-2\); the Azure host retries the delivery/)
  })

  it('names records without an id by the invocation and position', async () => {
    // Prepare
    let event: SQSEvent | undefined
    const handler = toAzureQueue(async (received) => {
      event = received
    })

    // Act
    await handler([1, null], new InvocationContext({ invocationId: 'inv-4' }))

    // Assess
    expect(event!.Records.map((record) => [record.messageId, record.body, record.attributes.SentTimestamp])).toEqual([
      ['inv-4:0', '1', ''],
      ['inv-4:1', 'null', ''],
    ])
  })

  it('refuses a handler that is not a function', () => {
    expect(() => toAzureQueue('batch' as never)).toThrow(/toAzureQueue\(\) needs a Lamina handler function/)
  })
})
