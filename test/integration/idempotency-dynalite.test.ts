// Powertools Idempotency (makeHandlerIdempotent, DynamoDBPersistenceLayer) through wrap(), with
// the real DynamoDB client against dynalite on 127.0.0.1: the way to make a retried event safe.
// The key is the order id in the event's detail, so two deliveries of one order (EventBridge's
// own retry, or a publisher that sent the event twice) are one piece of work.
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency'
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb'
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware'
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb'
import { isTimeoutError, wrap } from '@lamina/core'
import { eventBridge } from '@lamina/events'
import { createContext, events } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { type Dynalite, startDynalite } from '../support/dynalite.js'

const table = 'idempotency'
let dynalite: Dynalite

beforeAll(async () => {
  dynalite = await startDynalite([{ name: table, partitionKey: 'id' }])
})

afterAll(() => dynalite.stop())

const OrderPlaced = z.object({ orderId: z.string(), total: z.number() })

/** A fresh chain per test (its own key prefix), so tests never see each other's records. */
function charge(work: (orderId: string) => Promise<{ chargeId: string }>, keyPrefix: string) {
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: table, awsSdkV3Client: dynalite.client() })
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'detail.orderId' })
  return wrap(async (event: { detail: { orderId: string } }) => work(event.detail.orderId))
    .use(eventBridge({ detailType: 'Order Placed', detail: OrderPlaced }))
    .use(makeHandlerIdempotent({ persistenceStore, config, keyPrefix }))
}

const orderPlaced = (orderId: string) => events.eventBridge('Order Placed', { orderId, total: 42 }, 'shop.orders')

/** The records the chain with `keyPrefix` stored (their ids start with it; the rest is a hash). */
async function storedRecords(keyPrefix: string) {
  const documents = DynamoDBDocumentClient.from(dynalite.client())
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: table }))
  return Items.filter((item) => String(item.id).startsWith(`${keyPrefix}#`))
}

describe('Powertools Idempotency through wrap(), on DynamoDB (dynalite)', () => {
  it('a retried event with the same key runs the handler once and answers with the stored result', async () => {
    // Prepare
    const work = vi.fn(async (orderId: string) => ({ chargeId: `ch-${orderId}` }))
    const handler = charge(work, 'retry')

    // Act: two deliveries of one order (different event ids), then another order.
    const first = await handler(orderPlaced('o-1'), createContext())
    const retried = await handler(orderPlaced('o-1'), createContext())
    const other = await handler(orderPlaced('o-2'), createContext())

    // Assess
    expect(work.mock.calls).toEqual([['o-1'], ['o-2']])
    expect(retried).toEqual(first)
    expect(first).toEqual({ chargeId: 'ch-o-1' })
    expect(other).toEqual({ chargeId: 'ch-o-2' })
    const records = await storedRecords('retry')
    expect(records).toHaveLength(2)
    expect(records).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ status: 'COMPLETED', data: { chargeId: 'ch-o-1' } }),
        expect.objectContaining({ status: 'COMPLETED', data: { chargeId: 'ch-o-2' } }),
      ]),
    )
  })

  it('a duplicate that arrives while the first is still running is refused with IdempotencyAlreadyInProgressError', async () => {
    // Prepare: the first invocation holds in its handler until the test lets it go.
    let entered!: () => void
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve
    })
    let release!: () => void
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    let calls = 0
    const work = vi.fn(async (orderId: string) => {
      // Only the first call holds: a duplicate that got through would answer at once (and fail the test).
      if (++calls === 1) {
        entered()
        await released
      }
      return { chargeId: `ch-${orderId}` }
    })
    const handler = charge(work, 'overlap')

    // Act
    const first = handler(orderPlaced('o-3'), createContext())
    await inHandler
    const duplicate = await handler(orderPlaced('o-3'), createContext()).then(
      () => undefined,
      (error: unknown) => error,
    )
    release()

    // Assess
    expect(duplicate).toMatchObject({
      name: 'IdempotencyAlreadyInProgressError',
      message: expect.stringContaining('There is already an execution in progress'),
    })
    expect(await first).toEqual({ chargeId: 'ch-o-3' })
    expect(work).toHaveBeenCalledTimes(1)
  })

  it('a failed attempt leaves no record, so the retry runs the handler again', async () => {
    // Prepare
    const work = vi
      .fn(async (orderId: string) => ({ chargeId: `ch-${orderId}` }))
      .mockRejectedValueOnce(new Error('payment provider unavailable'))
    const handler = charge(work, 'failure')

    // Act
    const failed = await handler(orderPlaced('o-4'), createContext()).catch((error: unknown) => error)
    const storedAfterFailure = await storedRecords('failure')
    const retried = await handler(orderPlaced('o-4'), createContext())

    // Assess
    expect(failed).toMatchObject({ message: 'payment provider unavailable' })
    expect(storedAfterFailure).toEqual([])
    expect(retried).toEqual({ chargeId: 'ch-o-4' })
    expect(work).toHaveBeenCalledTimes(2)
  })

  it('with timeoutGuard() first, an attempt that runs out of time clears its in-progress record: the retry runs', async () => {
    // Prepare: the first attempt hangs in its handler; the guard ends it 100 ms before the deadline.
    const persistenceStore = new DynamoDBPersistenceLayer({ tableName: table, awsSdkV3Client: dynalite.client() })
    const config = new IdempotencyConfig({ eventKeyJmesPath: 'detail.orderId' })
    let calls = 0
    const work = vi.fn((orderId: string) =>
      ++calls === 1 ? new Promise<{ chargeId: string }>(() => {}) : Promise.resolve({ chargeId: `ch-${orderId}` }),
    )
    const handler = wrap(async (event: { detail: { orderId: string } }) => work(event.detail.orderId))
      .use(timeoutGuard({ marginMs: 100 }))
      .use(eventBridge({ detailType: 'Order Placed', detail: OrderPlaced }))
      .use(makeHandlerIdempotent({ persistenceStore, config, keyPrefix: 'timeout' }))

    // Act
    const timedOut = await handler(orderPlaced('o-5'), createContext({ timeoutMs: 1500 })).catch(
      (error: unknown) => error,
    )
    const leftBehind = await storedRecords('timeout')
    const retried = await handler(orderPlaced('o-5'), createContext())

    // Assess
    expect(isTimeoutError(timedOut)).toBe(true)
    expect(leftBehind).toEqual([])
    expect(retried).toEqual({ chargeId: 'ch-o-5' })
    expect(work).toHaveBeenCalledTimes(2)
  })
})
