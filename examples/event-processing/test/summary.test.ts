import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { MalformedObjectError, type OrderLine, summarise, summaryKey } from '../src/summary.js'

const source = { bucket: 'inputbucket', key: 'orders/2026-11-27.jsonl' }
const order: fc.Arbitrary<OrderLine> = fc.record({
  orderId: fc.string({ minLength: 1, maxLength: 8 }),
  sku: fc.constantFrom('lamina-mug', 'lamina-shirt', 'lamina-sticker', '__proto__', 'constructor'),
  quantity: fc.integer({ min: 1, max: 1000 }),
  unitPriceCents: fc.integer({ min: 0, max: 100_000 }),
})
const jsonLines = (orders: OrderLine[]) => orders.map((line) => JSON.stringify(line)).join('\n')

describe('summarise', () => {
  test('property: the totals are the sums of the lines, overall and per SKU', () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 40 }), (orders) => {
        const summary = summarise(jsonLines(orders), source)
        const revenue = (lines: OrderLine[]) =>
          lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0)
        expect(summary.orders).toBe(orders.length)
        expect(summary.units).toBe(orders.reduce((sum, line) => sum + line.quantity, 0))
        expect(summary.revenueCents).toBe(revenue(orders))
        for (const [sku, totals] of Object.entries(summary.bySku)) {
          const lines = orders.filter((line) => line.sku === sku)
          expect(totals).toEqual({
            orders: lines.length,
            units: lines.reduce((sum, line) => sum + line.quantity, 0),
            revenueCents: revenue(lines),
          })
        }
        expect(Object.keys(summary.bySku).sort()).toEqual([...new Set(orders.map((line) => line.sku))].sort())
      }),
    )
  })

  test('property: the same orders in any line order give the same bytes (a redelivery rewrites the same object)', () => {
    fc.assert(
      fc.property(
        fc
          .array(order, { maxLength: 20 })
          .chain((orders) => fc.tuple(fc.constant(orders), fc.shuffledSubarray(orders, { minLength: orders.length }))),
        ([orders, shuffled]) => {
          expect(JSON.stringify(summarise(jsonLines(shuffled), source))).toBe(
            JSON.stringify(summarise(jsonLines(orders), source)),
          )
        },
      ),
    )
  })

  test('blank lines and a trailing newline are skipped; an empty file is a summary of nothing', () => {
    expect(summarise('\n\n', source)).toEqual({ source, orders: 0, units: 0, revenueCents: 0, bySku: {} })
    expect(
      summarise(`${jsonLines([{ orderId: 'o', sku: 's', quantity: 1, unitPriceCents: 5 }])}\n  \n`, source).orders,
    ).toBe(1)
  })

  test('a line that is not JSON, or not an order, makes the file malformed, naming the object, the line and the fix', () => {
    expect(() => summarise('{"orderId":"o-1","sku":"s","quantity":1,"unitPriceCents":5}\nnot json', source)).toThrow(
      new MalformedObjectError(
        's3://inputbucket/orders/2026-11-27.jsonl line 2 is not JSON: write one JSON object per line, then upload the file again.',
      ),
    )
    expect(() => summarise('{"orderId":"o-1","sku":"","quantity":1.5}', source)).toThrow(
      /line 1 is not an order \(sku: .+; quantity: .+; unitPriceCents: .+\): fix it, then upload the file again\.$/,
    )
    expect(() => summarise('[]', source)).toThrow(/line 1 is not an order \(\(line\): /)
  })
})

test('summaryKey: under summaries/, the .jsonl extension replaced by .json', () => {
  expect(summaryKey('orders/2026-11-27.jsonl')).toBe('summaries/orders/2026-11-27.json')
  expect(summaryKey('orders/notes.txt')).toBe('summaries/orders/notes.txt.json')
})
