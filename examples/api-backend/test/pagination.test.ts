// The list's promises, as properties over random histories: paging is stable while books are
// added (nothing repeated, nothing skipped), and no cursor a client can send makes a 5xx.
import { DeleteItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type BooksApi, isbnFrom, startBooksApi } from './support/books-api.ts'

let api: BooksApi
beforeAll(async () => {
  api = await startBooksApi()
})
afterAll(() => api.stop())

let made = 0
/** Adds a book with an ISBN no other test run used; resolves with the ISBN. */
async function addBook(): Promise<string> {
  made += 1
  // Digits reversed: ISBN order is not the order added, so a list in ISBN order would fail below.
  const isbn = isbnFrom(String(made).padStart(9, '0').split('').reverse().join(''))
  const answer = await api.request({
    method: 'POST',
    path: '/books',
    body: { isbn, title: `Book ${made}`, author: 'P' },
  })
  expect(answer.status).toBe(201)
  return isbn
}

async function emptyTable() {
  const admin = api.dynalite.client()
  const { Items = [] } = await admin.send(new ScanCommand({ TableName: 'BooksTable' }))
  for (const { collection, isbn } of Items) {
    await admin.send(new DeleteItemCommand({ TableName: 'BooksTable', Key: { collection, isbn } as never }))
  }
}

const page = (limit: number, cursor?: string) =>
  api.request({ method: 'GET', path: '/books', query: { limit: String(limit), ...(cursor ? { cursor } : {}) } })

describe('GET /books pagination', () => {
  test('books added while a client pages are neither repeated nor skipped: the pages hold every book once, in the order added', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 20 }), // books before paging starts
        fc.integer({ min: 1, max: 7 }), // page size
        fc.array(fc.nat({ max: 3 }), { maxLength: 12 }), // books added after page i
        async (before, limit, addedBetweenPages) => {
          // Prepare
          await emptyTable()
          const added: string[] = []
          for (let index = 0; index < before; index++) added.push(await addBook())
          const present = new Set(added)
          // Act: page to the end, adding books between pages.
          const seen: string[] = []
          const sizes: number[] = []
          let cursor: string | undefined
          for (let index = 0; index < 200; index++) {
            const answer = await page(limit, cursor)
            expect(answer.status).toBe(200)
            seen.push(...answer.body.items.map((book: { isbn: string }) => book.isbn))
            sizes.push(answer.body.items.length)
            cursor = answer.body.nextCursor ?? undefined
            if (cursor === undefined) break
            for (let more = 0; more < (addedBetweenPages[index] ?? 0); more++) added.push(await addBook())
          }
          // Assess
          expect(cursor).toBeUndefined() // paging ended
          for (const isbn of present) expect(seen.filter((one) => one === isbn)).toHaveLength(1)
          expect(seen).toEqual(added) // each book once, those added during paging too, oldest first
          expect(sizes.slice(0, -1).every((size) => size === limit)).toBe(true) // full pages until the last
          if (added.length > 0) expect(sizes.at(-1)).toBeGreaterThan(0) // a last page is never empty
        },
      ),
      { numRuns: 20 },
    )
  }, 120_000)

  test('no cursor a client can send makes a 5xx: a tampered one is a 400 on query.cursor', async () => {
    // Prepare: a real cursor to tamper with.
    await emptyTable()
    for (let index = 0; index < 3; index++) await addBook()
    const real = (await page(1)).body.nextCursor as string
    const key = JSON.parse(Buffer.from(real, 'base64url').toString('utf8'))
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url')
    const tampered = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 600 }), // anything at all
      fc // the real cursor with one character changed
        .tuple(fc.nat({ max: real.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }))
        .map(([at, character]) => `${real.slice(0, at)}${character}${real.slice(at + 1)}`),
      fc.nat({ max: real.length - 1 }).map((at) => real.slice(0, at)), // cut short
      fc.jsonValue().map(encode), // well-formed base64url of any JSON
      fc // the real key with one field replaced or added
        .tuple(fc.constantFrom('collection', 'isbn', 'added', 'extra'), fc.jsonValue())
        .map(([field, value]) => encode({ ...key, [field]: value })),
    )
    await fc.assert(
      fc.asyncProperty(tampered, async (cursor) => {
        // Act
        const answer = await page(2, cursor)
        // Assess
        expect([200, 400]).toContain(answer.status)
        if (answer.status === 400) {
          expect(answer.body.issues).toEqual([
            { path: ['query', 'cursor'], message: expect.stringContaining('nextCursor of the previous page') },
          ])
        } else expect(Array.isArray(answer.body.items)).toBe(true) // it still decoded to a position in the list
      }),
      { numRuns: 300 },
    )
    // The real one still works.
    expect((await page(1, real)).status).toBe(200)
  }, 60_000)
})
