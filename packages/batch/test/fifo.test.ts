import { batch } from '@lamina/batch'
import { createContext, events } from '@lamina/testing'
import { describe, expect, it } from 'vitest'
import { collectingLogger } from './helpers.js'

const context = () => createContext({ timeoutMs: 60_000 })
const ids = (response: { batchItemFailures: { itemIdentifier: string }[] }) =>
  response.batchItemFailures.map((failure) => failure.itemIdentifier)

describe('batch() on an SQS FIFO queue', () => {
  it('stops at the first failure and reports it and every later record, in order', async () => {
    // Prepare
    const logger = collectingLogger()
    const started: number[] = []
    const handler = batch({
      logger,
      record: (payload: unknown) => {
        const { n } = payload as { n: number }
        started.push(n)
        if (n === 2) throw new Error('out of stock')
      },
    })
    const event = events.sqs([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }], { fifo: true })
    const messageIds = event.Records.map((record) => record.messageId)

    // Act
    const response = await handler(event, context())

    // Assess: the queue's ARN ends in .fifo, so order is kept without asking
    expect(started).toEqual([1, 2])
    expect(ids(response)).toEqual(messageIds.slice(1))
    expect(logger.lines.at(-1)).toMatchObject({
      message: expect.stringContaining('an earlier record of their FIFO queue'),
      fields: { count: 2, itemIdentifiers: messageIds.slice(2) },
    })
  })

  it('runs records one at a time, in order, even when they are slow', async () => {
    // Prepare
    let running = 0
    let most = 0
    const order: number[] = []
    const handler = batch({
      fifo: true,
      record: async (payload: unknown) => {
        running++
        most = Math.max(most, running)
        await new Promise((resolve) => setImmediate(resolve))
        order.push((payload as { n: number }).n)
        running--
      },
    })

    // Act
    await handler(events.sqs([{ n: 1 }, { n: 2 }, { n: 3 }], { fifo: true }), context())

    // Assess
    expect(most).toBe(1)
    expect(order).toEqual([1, 2, 3])
  })

  it('with skipGroupOnError, fails only the rest of the failed group', async () => {
    // Prepare
    const started: string[] = []
    const handler = batch({
      fifo: { skipGroupOnError: true },
      logger: collectingLogger(),
      record: (payload: unknown) => {
        const { id } = payload as { id: string }
        started.push(id)
        if (id === 'a1') throw new Error('a1 failed')
      },
    })
    const event = events.sqs([{ id: 'a1' }, { id: 'b1' }, { id: 'a2' }, { id: 'b2' }], {
      fifo: true,
      groups: ['a', 'b', 'a', 'b'],
    })

    // Act
    const response = await handler(event, context())

    // Assess
    expect(started).toEqual(['a1', 'b1', 'b2'])
    expect(ids(response)).toEqual([event.Records[0]?.messageId, event.Records[2]?.messageId])
  })

  it('processes a FIFO queue in parallel only when fifo: false says so', async () => {
    // Prepare
    let running = 0
    let most = 0
    const handler = batch({
      fifo: false,
      record: async () => {
        running++
        most = Math.max(most, running)
        await new Promise((resolve) => setImmediate(resolve))
        running--
      },
    })

    // Act
    await handler(events.sqs([{}, {}, {}], { fifo: true }), context())

    // Assess
    expect(most).toBe(3)
  })

  it('throws when the first FIFO record fails, as every record then failed', async () => {
    // Prepare
    const handler = batch({
      fifo: true,
      logger: collectingLogger(),
      record: () => {
        throw new Error('first fails')
      },
    })

    // Act
    const outcome = handler(events.sqs([{}, {}], { fifo: true }), context())

    // Assess
    await expect(outcome).rejects.toThrow('All 2 records of the batch failed')
  })
})
