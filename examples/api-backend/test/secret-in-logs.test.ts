// The API key reaches the function twice: from Secrets Manager, and in every write request's
// x-api-key header. Neither may reach a log line, even when Powertools logs each incoming event.
import { afterAll, beforeAll, expect, test } from 'vitest'
import { apiKey, type BooksApi, isbnFrom, startBooksApi } from './support/books-api.ts'

let api: BooksApi
beforeAll(async () => {
  api = await startBooksApi({ POWERTOOLS_LOGGER_LOG_EVENT: 'true' })
})
afterAll(() => api.stop())

test('the API key never reaches a log line, even with every event logged', async () => {
  // Act: a write on a cold start (its event is logged before the secret is fetched), a refused
  // write, a read.
  const book = { isbn: isbnFrom('100000000'), title: 'Logged', author: 'L' }
  const created = await api.request({ method: 'POST', path: '/books', body: book })
  const refused = await api.request({
    method: 'DELETE',
    path: `/books/${book.isbn}`,
    headers: { 'x-api-key': 'wrong-key' },
  })
  await api.request({ method: 'GET', path: '/books' })
  // Assess
  expect([created.status, refused.status]).toEqual([201, 401])
  const text = api.output.text()
  const events = api.output.records().filter((line) => line.message === 'Lambda invocation event')
  expect(events).toHaveLength(3) // the events were logged, headers and all...
  expect(text).not.toContain('wrong-key') // the header is masked by path, whatever key it holds
  expect(text).toContain('"x-api-key":"****"')
  expect(text).toContain('book added')
  expect(text).not.toContain(apiKey) // ...and the key is masked wherever it appeared
})
