// The end-to-end test: the orders service's function places an order and publishes
// OrderPlaced through the real EventBridge client; the PutEvents request it really sent is
// captured on a local endpoint; the event a rule target would receive is built from that entry
// and delivered to the inventory's consumer twice (EventBridge delivers at least once); the stock
// moves once. DynamoDB is dynalite, Powertools Idempotency is the real one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OrderPlacedDetail } from '../src/inventory/order-placed.js'
import { OrderPlaced } from '../src/orders/events.js'
import {
  busName,
  callApi,
  createContext,
  deliveredEvent,
  events,
  itemOf,
  placeOrder,
  ruleMatches,
  type StandIns,
  setStock,
  startStandIns,
  stockOf,
  tables,
} from './stand-ins.js'

let standIns: StandIns

beforeAll(async () => {
  standIns = await startStandIns()
})

afterAll(() => standIns.stop())

describe('an order placed in the orders service moves the stock in the inventory service once', () => {
  it('publishes OrderPlaced to the bus, and two deliveries of it take the quantity off once', async () => {
    // Prepare
    await setStock(standIns, 'lamina-mug', 10)

    // Act: the producer, through the real EventBridge client.
    const placed = await callApi(standIns.orders, placeOrder('checkout-1', { sku: 'lamina-mug', quantity: 3 }))

    // Assess what went over the wire: one PutEvents call, one entry, on the bus the rule listens to.
    expect(placed.status).toBe(201)
    expect(standIns.eventBridge.calls).toHaveLength(1)
    const [entry] = standIns.eventBridge.published
    expect(entry).toMatchObject({ EventBusName: busName, Source: 'lamina.orders', DetailType: 'OrderPlaced' })
    expect(ruleMatches(entry as NonNullable<typeof entry>)).toBe(true)
    const detail = JSON.parse(entry?.Detail as string)
    expect(OrderPlaced.parse(detail)).toEqual({
      orderId: placed.body.orderId,
      sku: 'lamina-mug',
      quantity: 3,
      placedAt: placed.body.placedAt,
    })
    expect(placed.body.eventId).toBe(entry?.EventId)

    // Act: what the rule's target receives, delivered twice.
    const event = deliveredEvent(entry as NonNullable<typeof entry>)
    const first = await standIns.inventory(event, createContext())
    const redelivered = await standIns.inventory(structuredClone(event), createContext())

    // Assess
    expect(first).toEqual({
      orderId: placed.body.orderId,
      sku: 'lamina-mug',
      quantity: 3,
      outcome: 'reserved',
      available: 7,
    })
    expect(redelivered).toEqual(first)
    expect(await stockOf(standIns, 'lamina-mug')).toBe(7)
    expect(await itemOf(standIns, tables.inventory, { pk: `order#${placed.body.orderId}` })).toMatchObject({
      outcome: 'reserved',
      quantity: 3,
    })
    const order = await callApi(
      standIns.orders,
      events.apiGatewayV2({ method: 'GET', path: `/orders/${placed.body.orderId}` }),
    )
    expect(order).toMatchObject({ status: 200, body: { orderId: placed.body.orderId, eventId: entry?.EventId } })
  })

  it('a second PutEvents of the same order (a new event id) is still one reservation', async () => {
    // Prepare: the same order published twice, as a client retry after a lost answer can do.
    await setStock(standIns, 'lamina-shirt', 5)
    standIns.eventBridge.reset()
    const placed = await callApi(standIns.orders, placeOrder('checkout-2', { sku: 'lamina-shirt', quantity: 2 }))
    const [entry] = standIns.eventBridge.published
    const again = { ...(entry as NonNullable<typeof entry>), EventId: 'another-event-id' }

    // Act
    await standIns.inventory(deliveredEvent(entry as NonNullable<typeof entry>), createContext())
    const second = await standIns.inventory(deliveredEvent(again), createContext())

    // Assess
    expect(second).toMatchObject({ orderId: placed.body.orderId, outcome: 'reserved', available: 3 })
    expect(await stockOf(standIns, 'lamina-shirt')).toBe(3)
  })

  it("every detail the orders service's schema accepts is accepted by the inventory's reading of it", async () => {
    // Prepare
    const fc = await import('fast-check')
    const detail = fc.record({
      orderId: fc.string({ minLength: 1, maxLength: 128 }),
      sku: fc.string({ minLength: 1, maxLength: 64 }),
      quantity: fc.integer({ min: 1, max: 10_000 }),
      placedAt: fc
        .date({ noInvalidDate: true, min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z') })
        .map((d) => d.toISOString()),
    })

    // Act / Assess: through JSON, as the event travels.
    fc.assert(
      fc.property(detail, (sent) => {
        const published = OrderPlaced.parse(sent)
        const read = OrderPlacedDetail.parse(JSON.parse(JSON.stringify(published)))
        expect(read).toEqual({ orderId: sent.orderId, sku: sent.sku, quantity: sent.quantity })
      }),
    )
  })
})
