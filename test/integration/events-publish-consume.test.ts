// The two sides of an EventBridge integration through Lamina: a handler publishes with the real
// EventBridge client (to the local PutEvents endpoint), and what EventBridge would deliver from
// that entry goes through a consumer with the same schema. And a publisher that keeps being
// throttled never holds the invocation past its timeout guard.
import { randomUUID } from 'node:crypto'
import { isTimeoutError, wrap } from '@lamina/core'
import { eventBridge, publisher } from '@lamina/events'
import { createContext } from '@lamina/testing'
import { timeoutGuard } from '@lamina/timeout'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { type EventBridgeServer, type ReceivedEntry, startEventBridgeServer } from '../support/eventbridge-server.js'

let server: EventBridgeServer

beforeAll(async () => {
  server = await startEventBridgeServer()
})

afterEach(() => {
  server.reset()
  vi.restoreAllMocks()
})

afterAll(() => server.close())

const OrderPlaced = z.object({ orderId: z.string(), total: z.number().positive() })
type ShopEvents = { 'Order Placed': z.input<typeof OrderPlaced> }

/** The event EventBridge delivers to a rule's Lambda target for a published entry. */
const delivered = (entry: ReceivedEntry & { EventId: string }) => ({
  version: '0',
  id: entry.EventId,
  'detail-type': entry.DetailType,
  source: entry.Source,
  account: '123456789012',
  time: new Date().toISOString(),
  region: 'us-east-1',
  resources: entry.Resources ?? [],
  detail: JSON.parse(entry.Detail as string),
})

describe('publish in one function, consume in another', () => {
  it('what the publisher sent reaches the consumer typed and valid; a bad detail is refused there', async () => {
    // Prepare
    const events = publisher<ShopEvents>({ client: server.client(), eventBusName: 'shop', source: 'shop.orders' })
    const checkout = wrap(async (orders: ShopEvents['Order Placed'][], _context, { signal }) =>
      events.publish('Order Placed', orders, { signal }),
    )
    const consumed: unknown[] = []
    const fulfil = wrap<unknown>()
      .use(eventBridge({ detailType: 'Order Placed', source: 'shop.orders', detail: OrderPlaced }))
      .handler(async (event) => {
        consumed.push(event.detail)
        return event.detail.orderId
      })

    // Act
    const { eventIds } = await checkout(
      [
        { orderId: 'o-1', total: 10 },
        { orderId: 'o-2', total: -1 },
      ],
      createContext(),
    )
    const outcomes = await Promise.allSettled(
      server.published.map((entry) => fulfil(delivered(entry), createContext())),
    )

    // Assess
    expect(eventIds).toHaveLength(2)
    expect(consumed).toEqual([{ orderId: 'o-1', total: 10 }])
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { name: 'ValidationError' } })
  })

  it("a publisher throttled on every attempt ends at the guard's deadline with a TimeoutError, not after its backoff", async () => {
    // Prepare: each entry is throttled; the backoff before the retry (30 s) is longer than the invocation.
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    server.answerEntries(() => ({ errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' }))
    const events = publisher<ShopEvents>({
      client: server.client(),
      eventBusName: 'shop',
      source: 'shop.orders',
      retryBaseMs: 60_000,
    })
    let publishing: Promise<unknown> | undefined
    const checkout = wrap(async (order: ShopEvents['Order Placed'], _context, { signal }) => {
      publishing = events.publish('Order Placed', order, { signal })
      return publishing
    }).use(timeoutGuard({ marginMs: 100 }))

    // Act
    const outcome = await checkout({ orderId: randomUUID(), total: 5 }, createContext({ timeoutMs: 700 })).catch(
      (error: unknown) => error,
    )

    const publishOutcome = await publishing?.catch((error: unknown) => error)

    // Assess: the publisher itself stopped at the signal (no retry left waiting in the background).
    expect(isTimeoutError(outcome)).toBe(true)
    expect(isTimeoutError(publishOutcome)).toBe(true)
    expect(server.calls).toHaveLength(1)
  })
})
