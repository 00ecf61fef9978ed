// The list's order rests on `added` keys increasing within a container, whatever the clock does.
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { nextOrderKey, orderKeyPattern } from '../src/books/order-key.ts'
import { isbnFrom } from './support/books-api.ts'

test('keys made one after another always sort after each other, the clock standing still or stepping back', () => {
  const moment = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2040, 0, 1) })
  fc.assert(
    fc.property(fc.array(fc.tuple(moment, fc.nat({ max: 999_999_999 })), { minLength: 2, maxLength: 50 }), (calls) => {
      // Act: the clock reads given in any order (repeated, backwards), with any ISBN.
      const keys = calls.map(([now, digits]) => nextOrderKey(isbnFrom(String(digits).padStart(9, '0')), now))
      // Assess
      for (const key of keys) expect(key).toMatch(orderKeyPattern)
      for (let index = 1; index < keys.length; index++) {
        expect((keys[index] as string) > (keys[index - 1] as string)).toBe(true)
      }
    }),
  )
})
