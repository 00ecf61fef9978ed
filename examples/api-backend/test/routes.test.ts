// Every route of the books API, success and failure, through the handler Lambda would call, against
// dynalite and a Secrets Manager stand-in reached by the real AWS SDK v3 clients.
import { createContext } from '@lamina/testing'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type BooksApi, isbnFrom, startBooksApi } from './support/books-api.ts'
import { createTemplateTable } from './support/template-table.ts'

let api: BooksApi
beforeAll(async () => {
  api = await startBooksApi()
})
afterAll(() => api.stop())

const leftHand = { isbn: '9780441478125', title: 'The Left Hand of Darkness', author: 'Ursula K. Le Guin', year: 1969 }
const add = (book: Record<string, unknown>) => api.request({ method: 'POST', path: '/books', body: book })

describe('POST /books', () => {
  test('adds a book: 201, its location, version 1; one log line and one metrics document say so', async () => {
    // Prepare
    const seen = api.output.records().length
    // Act
    const created = await add(leftHand)
    // Assess
    expect(created.status).toBe(201)
    expect(created.headers.location).toBe('/books/9780441478125')
    expect(created.body).toMatchObject({ ...leftHand, version: 1 })
    expect(created.body.createdAt).toBe(created.body.updatedAt)
    expect(Object.keys(created.body)).not.toContain('collection') // storage keys stay in the table
    const written = api.output.records().slice(seen)
    expect(written.filter((line) => line.message === 'book added')).toEqual([
      expect.objectContaining({ level: 'INFO', service: 'books-api', isbn: leftHand.isbn }),
    ])
    // (The first invocation also writes Powertools' own ColdStart document.)
    expect(written.filter((line) => line._aws?.CloudWatchMetrics && line.ColdStart === undefined)).toEqual([
      expect.objectContaining({ BooksAdded: 1, Errors: 0 }),
    ])
  })

  test('the same ISBN again is a 409, and the first book is left as it was', async () => {
    // Prepare
    const book = { isbn: isbnFrom('000000001'), title: 'First', author: 'A' }
    await add(book)
    // Act
    const again = await add({ ...book, title: 'Second' })
    // Assess
    expect(again.status).toBe(409)
    expect(again.body.message).toContain('already exists')
    expect((await api.request({ method: 'GET', path: `/books/${book.isbn}` })).body.title).toBe('First')
  })

  test('400 with the failing fields: a bad check digit, an empty title, an unknown field', async () => {
    // Act
    const invalid = await add({ isbn: '9780441478126', title: ' ', author: 'X', pages: 3 })
    // Assess
    expect(invalid.status).toBe(400)
    const paths = invalid.body.issues.map((issue: { path: string[] }) => issue.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['body.isbn', 'body.title', 'body']))
  })

  test('401 without the API key or with a wrong one, before the body is even read', async () => {
    // Act
    const without = await api.request({ method: 'POST', path: '/books', body: leftHand, key: false })
    const wrong = await api.request({ method: 'POST', path: '/books', body: {}, headers: { 'x-api-key': 'guess' } })
    // Assess
    expect([without.status, wrong.status]).toEqual([401, 401])
    expect(without.body.message).toContain('x-api-key')
    expect(wrong.body.issues).toBeUndefined() // the schema is not shown to a caller without the key
  })
})

describe('GET /books/{isbn}', () => {
  test('200 with the book; 404 for an ISBN no book has; 400 for one that is not an ISBN', async () => {
    // Prepare
    const book = { isbn: isbnFrom('000000002'), title: 'Found', author: 'B', year: 2001 }
    await add(book)
    // Act
    const found = await api.request({ method: 'GET', path: `/books/${book.isbn}` })
    const missing = await api.request({ method: 'GET', path: `/books/${isbnFrom('999999999')}` })
    const invalid = await api.request({ method: 'GET', path: '/books/not-an-isbn' })
    // Assess
    expect(found.status).toBe(200)
    expect(found.body).toMatchObject({ ...book, version: 1 })
    expect(missing.status).toBe(404)
    expect(invalid.status).toBe(400)
    expect(invalid.body.issues[0].path).toEqual(['path', 'isbn'])
  })

  test('reads need no API key', async () => {
    const answer = await api.request({ method: 'GET', path: '/books/9780441478125', key: false })
    expect(answer.status).toBe(200)
  })
})

describe('PUT /books/{isbn}', () => {
  test('replaces the book at the version it was read: 200, version + 1; a year left out is removed', async () => {
    // Prepare
    const book = { isbn: isbnFrom('000000003'), title: 'Draft', author: 'C', year: 1999 }
    await add(book)
    // Act
    const updated = await api.request({
      method: 'PUT',
      path: `/books/${book.isbn}`,
      body: { title: 'Final', author: 'C', version: 1 },
    })
    // Assess
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ isbn: book.isbn, title: 'Final', version: 2 })
    expect(updated.body.year).toBeUndefined()
    expect(updated.body.updatedAt >= updated.body.createdAt).toBe(true)
  })

  test('two clients racing from the same version: exactly one wins, the other gets 409 naming the current version', async () => {
    // Prepare
    const book = { isbn: isbnFrom('000000004'), title: 'Contended', author: 'D' }
    await add(book)
    const change = (title: string) =>
      api.request({ method: 'PUT', path: `/books/${book.isbn}`, body: { title, author: 'D', version: 1 } })
    // Act: both requests are in flight at once; DynamoDB's condition decides.
    const answers = await Promise.all([change('by Ada'), change('by Grace'), change('by Edsger')])
    // Assess
    const statuses = answers.map((answer) => answer.status).sort()
    expect(statuses).toEqual([200, 409, 409])
    const winner = answers.find((answer) => answer.status === 200)
    const stored = await api.request({ method: 'GET', path: `/books/${book.isbn}` })
    expect(stored.body).toMatchObject({ title: winner?.body.title, version: 2 })
    for (const loser of answers.filter((answer) => answer.status === 409)) {
      expect(loser.body.message).toContain('is at version 2')
    }
  })

  test('404 for a book that is not there; 400 without a version; 401 without the key', async () => {
    // Prepare
    const path = `/books/${isbnFrom('000000005')}`
    // Act
    const missing = await api.request({ method: 'PUT', path, body: { title: 'T', author: 'A', version: 1 } })
    const noVersion = await api.request({ method: 'PUT', path, body: { title: 'T', author: 'A' } })
    const noKey = await api.request({ method: 'PUT', path, body: { title: 'T', author: 'A', version: 1 }, key: false })
    // Assess
    expect(missing.status).toBe(404)
    expect(noVersion.status).toBe(400)
    expect(noVersion.body.issues.map((issue: { path: string[] }) => issue.path.join('.'))).toEqual(['body.version'])
    expect(noKey.status).toBe(401)
  })
})

describe('DELETE /books/{isbn}', () => {
  test('204 with no body, then 404: it is gone', async () => {
    // Prepare
    const book = { isbn: isbnFrom('000000006'), title: 'Ephemeral', author: 'E' }
    await add(book)
    // Act
    const deleted = await api.request({ method: 'DELETE', path: `/books/${book.isbn}` })
    const again = await api.request({ method: 'DELETE', path: `/books/${book.isbn}` })
    const read = await api.request({ method: 'GET', path: `/books/${book.isbn}` })
    // Assess
    expect(deleted.status).toBe(204)
    expect(deleted.body).toBe('')
    expect([again.status, read.status]).toEqual([404, 404])
  })

  test('401 without the key, and the book stays', async () => {
    const denied = await api.request({ method: 'DELETE', path: '/books/9780441478125', key: false })
    expect(denied.status).toBe(401)
    expect((await api.request({ method: 'GET', path: '/books/9780441478125' })).status).toBe(200)
  })
})

describe('GET /books', () => {
  test('400 for a limit out of range or not a number', async () => {
    for (const limit of ['0', '101', 'ten', '']) {
      const answer = await api.request({ method: 'GET', path: '/books', query: { limit } })
      expect(answer.status).toBe(400)
      expect(answer.body.issues[0].path).toEqual(['query', 'limit'])
    }
  })
})

describe('the HTTP edges', () => {
  test('CORS: a preflight is answered 204 with the headers; errors carry them too', async () => {
    // Act
    const preflight = await api.request({
      method: 'OPTIONS',
      path: '/books',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    })
    const error = await api.request({ method: 'GET', path: '/books/1', headers: { origin: 'https://app.example' } })
    // Assess
    expect(preflight.status).toBe(204)
    expect(preflight.headers['access-control-allow-origin']).toBe('*')
    expect(error.status).toBe(400)
    expect(error.headers['access-control-allow-origin']).toBe('*')
  })

  test('a method a path does not take is 405 with allow; an unknown path 404', async () => {
    const patch = await api.request({ method: 'PATCH', path: '/books' })
    const nowhere = await api.request({ method: 'GET', path: '/authors' })
    expect(patch.status).toBe(405)
    expect(patch.headers.allow).toContain('POST')
    expect(nowhere.status).toBe(404)
  })

  test('a DynamoDB failure is a 500 that names nothing of it', async () => {
    // Prepare: the table goes away under the function (as with a wrong TABLE_NAME).
    const { DeleteTableCommand } = await import('@aws-sdk/client-dynamodb')
    const admin = api.dynalite.client()
    const seen = api.output.records().length
    await admin.send(new DeleteTableCommand({ TableName: 'BooksTable' }))
    // Act
    const answer = await api
      .request({ method: 'GET', path: '/books/9780441478125' })
      .finally(() => createTemplateTable(admin, 'BooksTable'))
    // Assess
    expect(answer.status).toBe(500)
    expect(Object.keys(answer.body).sort()).toEqual(['message', 'requestId'])
    expect(answer.body.message).toBe('Internal Server Error')
    // The cause is in the log line, for whoever runs the function.
    const logged = api.output
      .records()
      .slice(seen)
      .find((line) => line.level === 'ERROR')
    expect(JSON.stringify(logged)).toContain('ResourceNotFoundException')
  })
})

describe('the sample events in events/', () => {
  test('run in order, they add, read, list, change and delete a book', async () => {
    // Prepare
    const { readFile } = await import('node:fs/promises')
    const sample = async (name: string) =>
      JSON.parse(await readFile(new URL(`../events/${name}.json`, import.meta.url), 'utf8'))
    await api.request({ method: 'DELETE', path: '/books/9780441478125' }) // added by a test above
    // Act
    const statuses: number[] = []
    for (const name of ['create-book', 'get-book', 'list-books', 'update-book', 'delete-book']) {
      const response = (await api.handler(await sample(name), createContext())) as { statusCode: number }
      statuses.push(response.statusCode)
    }
    // Assess
    expect(statuses).toEqual([201, 200, 200, 200, 204])
  })
})
