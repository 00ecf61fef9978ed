// The sample events in events/ are what each function really takes: each one runs through its
// function against the stand-ins and gets the answer the README describes.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContext, type StandIns, setStock, startStandIns, stockOf } from './stand-ins.js'

let standIns: StandIns

beforeAll(async () => {
  standIns = await startStandIns()
})

afterAll(() => standIns.stop())

const sample = (name: string) => JSON.parse(readFileSync(new URL(`../events/${name}`, import.meta.url), 'utf8'))

describe('the sample events', () => {
  it('place-order.json places an order; order-placed.json reserves it once; read-stock.json reads the stock', async () => {
    // Prepare
    await setStock(standIns, 'lamina-mug', 10)

    // Act
    const placed = (await standIns.orders(sample('place-order.json'), createContext())) as { statusCode: number }
    const reserved = await standIns.inventory(sample('order-placed.json'), createContext())
    const again = await standIns.inventory(sample('order-placed.json'), createContext())
    const stock = (await standIns.stock(sample('read-stock.json'), createContext())) as { body: string }

    // Assess
    expect(placed.statusCode).toBe(201)
    expect(reserved).toMatchObject({ orderId: 'ord-144252e947c7a75bfdd32610', outcome: 'reserved', available: 7 })
    expect(again).toEqual(reserved)
    expect(JSON.parse(stock.body)).toEqual({ sku: 'lamina-mug', available: 7 })
  })

  it('order-placed-malformed.json is refused with a ValidationError naming the field', async () => {
    // Act
    const refused = await standIns
      .inventory(sample('order-placed-malformed.json'), createContext())
      .catch((error: unknown) => error)

    // Assess
    expect(refused).toMatchObject({
      name: 'ValidationError',
      message: expect.stringContaining('detail.quantity: Invalid input: expected number, received string'),
    })
    expect(await stockOf(standIns, 'lamina-mug')).toBe(7)
  })
})
