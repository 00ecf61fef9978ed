// The inventory's consumer alone, with the events EventBridge would deliver: a detail that fails
// the schema, an order there is not enough stock for, and any mix of orders delivered any
// number of times, concurrently.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Reservation } from '../src/inventory/inventory-table.js'
import {
  createContext,
  events,
  idempotencyRecords,
  itemOf,
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

const orderPlaced = (detail: Record<string, unknown>) => events.eventBridge('OrderPlaced', detail, 'lamina.orders')

describe('the inventory consumer', () => {
  it('refuses a detail that fails its schema: logged, nothing written, the same answer on every retry', async () => {
    // Prepare
    await setStock(standIns, 'lamina-cap', 4)
    const malformed = orderPlaced({ orderId: 'ord-bad', sku: 'lamina-cap', quantity: -2 })
    const recordsBefore = (await idempotencyRecords(standIns)).length
    const linesBefore = standIns.output.records().length

    // Act: the first delivery and Lambda's two retries of it.
    const outcomes = await Promise.all(
      [1, 2, 3].map(() =>
        standIns.inventory(structuredClone(malformed), createContext()).catch((error: unknown) => error),
      ),
    )

    // Assess: each attempt fails the same way (so Lambda's retries end, and the template sends the
    // event to the failed-events queue), and nothing was reserved or recorded.
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({
        name: 'ValidationError',
        message: expect.stringContaining('detail.quantity: Too small: expected number to be >0'),
      })
    }
    expect(await stockOf(standIns, 'lamina-cap')).toBe(4)
    expect(await itemOf(standIns, tables.inventory, { pk: 'order#ord-bad' })).toBeUndefined()
    expect(await idempotencyRecords(standIns)).toHaveLength(recordsBefore)
    const errors = standIns.output
      .records()
      .slice(linesBefore)
      .filter((line) => line.level === 'ERROR')
    expect(errors).toHaveLength(3)
    expect(errors[0]).toMatchObject({ message: 'Invocation failed', error: { name: 'ValidationError' } })
  })

  it('rejects an order there is not enough stock for, records it, and keeps that decision on redelivery', async () => {
    // Prepare
    await setStock(standIns, 'lamina-poster', 2)
    const tooMany = orderPlaced({ orderId: 'ord-too-many', sku: 'lamina-poster', quantity: 5 })
    const unknown = orderPlaced({ orderId: 'ord-unknown', sku: 'lamina-nothing', quantity: 1 })
    const linesBefore = standIns.output.records().length

    // Act: rejected; then stock arrives, and EventBridge delivers the same event again.
    const rejected = await standIns.inventory(tooMany, createContext())
    await setStock(standIns, 'lamina-poster', 10)
    const redelivered = await standIns.inventory(structuredClone(tooMany), createContext())
    const unknownSku = await standIns.inventory(unknown, createContext())

    // Assess: a business outcome (the invocation succeeded, so nothing retries), stock untouched.
    expect(rejected).toEqual({
      orderId: 'ord-too-many',
      sku: 'lamina-poster',
      quantity: 5,
      outcome: 'rejected',
      reason: 'out-of-stock',
      available: 2,
    })
    expect(redelivered).toEqual(rejected)
    expect(await stockOf(standIns, 'lamina-poster')).toBe(10)
    expect(await itemOf(standIns, tables.inventory, { pk: 'order#ord-too-many' })).toMatchObject({
      outcome: 'rejected',
      reason: 'out-of-stock',
    })
    expect(unknownSku).toMatchObject({ outcome: 'rejected', reason: 'unknown-sku', available: 0 })
    expect(standIns.output.records().slice(linesBefore)).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'order rejected', orderId: 'ord-too-many' }),
    )
  })

  it('an attempt that fails on DynamoDB leaves no idempotency record: the retry reserves the stock, once', async () => {
    // Prepare: the inventory table is gone (DynamoDB trouble the function cannot handle).
    const order = orderPlaced({ orderId: 'ord-outage', sku: 'lamina-outage', quantity: 2 })
    await standIns.dynalite.client().send(new DeleteTableCommand({ TableName: tables.inventory }))

    // Act: the first attempt fails; the table comes back; Lambda's retry.
    const failed = await standIns.inventory(order, createContext()).catch((error: unknown) => error)
    const recordsAfterFailure = await idempotencyRecords(standIns)
    await standIns.dynalite.createTable({ name: tables.inventory, partitionKey: 'pk' })
    await setStock(standIns, 'lamina-outage', 5)
    const retried = await standIns.inventory(structuredClone(order), createContext())
    const redelivered = await standIns.inventory(structuredClone(order), createContext())

    // Assess
    expect(failed).toMatchObject({ name: 'ResourceNotFoundException' })
    expect(recordsAfterFailure.map((record) => record.data?.orderId)).not.toContain('ord-outage')
    expect(recordsAfterFailure.filter((record) => record.status === 'INPROGRESS')).toEqual([])
    expect(retried).toMatchObject({ orderId: 'ord-outage', outcome: 'reserved', available: 3 })
    expect(redelivered).toEqual(retried)
    expect(await stockOf(standIns, 'lamina-outage')).toBe(3)
  })

  it('any orders, each delivered 1 to 3 times in any order and all at once, move the stock once per order', async () => {
    let run = 0
    const scenario = fc
      .record({
        initial: fc.integer({ min: 0, max: 40 }),
        quantities: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 }),
      })
      .chain(({ initial, quantities }) =>
        fc.record({
          initial: fc.constant(initial),
          quantities: fc.constant(quantities),
          // Which order each delivery carries: every order at least once, up to three times, shuffled.
          deliveries: fc
            .array(fc.integer({ min: 1, max: 3 }), { minLength: quantities.length, maxLength: quantities.length })
            .map((copies) => copies.flatMap((count, order) => Array.from({ length: count }, () => order)))
            .chain((list) => fc.shuffledSubarray(list, { minLength: list.length })),
        }),
      )

    await fc.assert(
      fc.asyncProperty(scenario, async ({ initial, quantities, deliveries }) => {
        // Prepare: a product of its own per run.
        const sku = `sku-run-${++run}`
        await setStock(standIns, sku, initial)
        const event = (order: number) =>
          orderPlaced({ orderId: `${sku}-order-${order}`, sku, quantity: quantities[order] as number })

        // Act: every delivery at once. One that finds another delivery of its order in progress
        // is refused (IdempotencyAlreadyInProgressError) and Lambda retries it: so does this loop.
        const results = await Promise.all(
          deliveries.map(async (order) => {
            for (;;) {
              try {
                return { order, reservation: (await standIns.inventory(event(order), createContext())) as Reservation }
              } catch (error) {
                if ((error as Error).name !== 'IdempotencyAlreadyInProgressError') throw error
              }
            }
          }),
        )

        // Assess: each order decided once (every delivery of it got the same answer), stock never
        // below zero, and what left the stock is exactly what the reserved orders asked for.
        const decided = new Map<number, Reservation>()
        for (const { order, reservation } of results) {
          expect(reservation).toEqual(decided.get(order) ?? reservation)
          decided.set(order, reservation)
        }
        const reserved = [...decided.values()].filter((reservation) => reservation.outcome === 'reserved')
        const taken = reserved.reduce((sum, reservation) => sum + reservation.quantity, 0)
        const final = await stockOf(standIns, sku)
        expect(final).toBe(initial - taken)
        expect(final).toBeGreaterThanOrEqual(0)
        const total = quantities.reduce((sum, quantity) => sum + quantity, 0)
        if (total <= initial) expect(reserved).toHaveLength(quantities.length)
        for (const rejected of decided.values()) {
          if (rejected.outcome === 'rejected') expect(rejected.quantity).toBeGreaterThan(final as number)
        }
      }),
      { numRuns: 20 },
    )
  }, 120_000)
})
