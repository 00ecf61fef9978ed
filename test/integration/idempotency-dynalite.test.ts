// Powertools Idempotency through wrap(), with the real DynamoDB client against dynalite on
// 127.0.0.1: the way to make a retried event safe. `makeIdempotent` wraps the handler function
// (inside `.handler()`), not the `makeHandlerIdempotent` middleware, whose `onError` in 2.35 also
// deletes records it never acquired (the overlap and payload tests below fail with it).
// The key is the order id in the event's detail, so two deliveries of one order (EventBridge's
// own retry, or a publisher that sent the event twice) are one piece of work.
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency'
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb'
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb'
import { type Context, isTimeoutError, wrap } from '@lamina/core'
import { type EventBridgeEvent, eventBridge } from '@lamina/events'
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

type Work = (orderId: string, signal: AbortSignal) => Promise<{ chargeId: string }>

/**
 * A fresh chain per test (its own persistence layer and key prefix), so tests never see each
 * other's records. `attempts` collects each call of the idempotent function, so a test can wait
 * for one the timeout guard stopped waiting for.
 */
function charge(
  work: Work,
  keyPrefix: string,
  { payloadValidationJmesPath }: { payloadValidationJmesPath?: string } = {},
) {
  const persistenceStore = new DynamoDBPersistenceLayer({ tableName: table, awsSdkV3Client: dynalite.client() })
  const config = new IdempotencyConfig({ eventKeyJmesPath: 'detail.orderId', payloadValidationJmesPath })
  const chargeOnce = makeIdempotent(
    async (event: { detail: { orderId: string } }, _context: Context, { signal }: { signal: AbortSignal }) =>
      work(event.detail.orderId, signal),
    { persistenceStore, config, keyPrefix },
  )
  const attempts: Promise<unknown>[] = []
  const handler = wrap<EventBridgeEvent<string, unknown>>()
    .use(timeoutGuard({ marginMs: 100 }))
    .use(eventBridge({ detailType: 'Order Placed', detail: OrderPlaced }))
    .handler((event, context, options) => {
      const attempt = chargeOnce(event, context, options)
      attempts.push(attempt.catch(() => undefined))
      return attempt
    })
  return { handler, attempts }
}

const orderPlaced = (orderId: string, total = 42) =>
  events.eventBridge('Order Placed', { orderId, total }, 'shop.orders')

/** Work whose first call holds until `release()`; later calls answer at once. */
function holdingFirstCall() {
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
    // Only the first call holds: a duplicate that got through answers at once (and fails the test).
    if (++calls === 1) {
      entered()
      await released
    }
    return { chargeId: `ch-${orderId}` }
  })
  return { work, inHandler, release }
}

const outcome = (invocation: Promise<unknown>) =>
  invocation.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  )

/** The records the chain with `keyPrefix` stored (their ids start with it; the rest is a hash). */
async function storedRecords(keyPrefix: string) {
  const documents = DynamoDBDocumentClient.from(dynalite.client())
  const { Items = [] } = await documents.send(new ScanCommand({ TableName: table }))
  return Items.filter((item) => String(item.id).startsWith(`${keyPrefix}#`))
}

const inProgress = {
  error: expect.objectContaining({
    name: 'IdempotencyAlreadyInProgressError',
    message: expect.stringContaining('There is already an execution in progress'),
  }),
}

describe('Powertools Idempotency (makeIdempotent) through wrap(), on DynamoDB (dynalite)', () => {
  it('a retried event with the same key runs the handler once and answers with the stored result', async () => {
    // Prepare
    const work = vi.fn(async (orderId: string) => ({ chargeId: `ch-${orderId}` }))
    const { handler } = charge(work, 'retry')

    // Act: two deliveries of one order (different event ids), then another order.
    const first = await handler(orderPlaced('o-1'), createContext())
    const retried = await handler(orderPlaced('o-1'), createContext())
    const other = await handler(orderPlaced('o-2'), createContext())

    // Assess
    expect(work.mock.calls.map(([orderId]) => orderId)).toEqual(['o-1', 'o-2'])
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

  it('every duplicate that arrives while the first is still running is refused, later ones get the stored result: the handler runs once', async () => {
    // Prepare: delivery A holds in its handler until the test lets it go.
    const { work, inHandler, release } = holdingFirstCall()
    const { handler } = charge(work, 'overlap')
    const timeoutMs = 60_000
    const beforeA = Date.now()

    // Act: A starts; B and C arrive one after the other while A still runs; D after A finished.
    const a = outcome(handler(orderPlaced('o-3'), createContext({ timeoutMs })))
    await inHandler
    const b = await outcome(handler(orderPlaced('o-3'), createContext()))
    const c = await outcome(handler(orderPlaced('o-3'), createContext()))
    const [recordWhileRunning] = await storedRecords('overlap')
    const afterC = Date.now()
    release()
    const aDone = await a
    const d = await outcome(handler(orderPlaced('o-3'), createContext()))

    // Assess: A's in-progress record survived B and C, and it expires at A's own deadline.
    expect(b).toEqual(inProgress)
    expect(c).toEqual(inProgress)
    expect(aDone).toEqual({ value: { chargeId: 'ch-o-3' } })
    expect(d).toEqual({ value: { chargeId: 'ch-o-3' } })
    expect(work).toHaveBeenCalledTimes(1)
    expect(recordWhileRunning).toMatchObject({ status: 'INPROGRESS' })
    expect(recordWhileRunning?.in_progress_expiration).toBeGreaterThanOrEqual(beforeA + timeoutMs)
    expect(recordWhileRunning?.in_progress_expiration).toBeLessThanOrEqual(afterC + timeoutMs)
  })

  it('a retry whose payload differs is refused with IdempotencyValidationError and the stored result stays', async () => {
    // Prepare: the total is part of what must match.
    const work = vi.fn(async (orderId: string) => ({ chargeId: `ch-${orderId}` }))
    const { handler } = charge(work, 'payload', { payloadValidationJmesPath: 'detail.total' })

    // Act
    const first = await outcome(handler(orderPlaced('o-6', 42), createContext()))
    const changed = await outcome(handler(orderPlaced('o-6', 43), createContext()))
    const retried = await outcome(handler(orderPlaced('o-6', 42), createContext()))

    // Assess
    expect(first).toEqual({ value: { chargeId: 'ch-o-6' } })
    expect(changed).toEqual({ error: expect.objectContaining({ name: 'IdempotencyValidationError' }) })
    expect(retried).toEqual(first)
    expect(work).toHaveBeenCalledTimes(1)
  })

  it('a failed attempt leaves no record, so the retry runs the handler again', async () => {
    // Prepare
    const work = vi
      .fn(async (orderId: string) => ({ chargeId: `ch-${orderId}` }))
      .mockRejectedValueOnce(new Error('payment provider unavailable'))
    const { handler } = charge(work, 'failure')

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

  it('with timeoutGuard() first, work that takes the signal ends at the guard and its record is deleted: the retry runs', async () => {
    // Prepare: the first attempt waits until its signal aborts; the guard aborts it 100 ms before the deadline.
    let calls = 0
    const work = vi.fn((orderId: string, signal: AbortSignal) =>
      ++calls === 1
        ? new Promise<{ chargeId: string }>((_, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason), { once: true })
          })
        : Promise.resolve({ chargeId: `ch-${orderId}` }),
    )
    const { handler, attempts } = charge(work, 'timeout')

    // Act: the guard answers without waiting for the attempt; the test waits for the attempt's
    // own end (the wrapper deleting its record), then retries.
    const timedOut = await handler(orderPlaced('o-5'), createContext({ timeoutMs: 1500 })).catch(
      (error: unknown) => error,
    )
    await attempts[0]
    const leftBehind = await storedRecords('timeout')
    const retried = await handler(orderPlaced('o-5'), createContext())

    // Assess
    expect(isTimeoutError(timedOut)).toBe(true)
    expect(leftBehind).toEqual([])
    expect(retried).toEqual({ chargeId: 'ch-o-5' })
    expect(work).toHaveBeenCalledTimes(2)
  })
})
