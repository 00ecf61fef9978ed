// DynamoDB that never answers: the timeout guard answers 504 before Lambda's deadline, and the
// call is really abandoned (the SDK closes its connection), because each route passes its signal.
import { createContext, events } from '@lamina/testing'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type SlowServer, startSlowServer } from '../../../test/support/slow-server.ts'
import { type BooksApi, startBooksApi } from './support/books-api.ts'

let api: BooksApi
let dynamo: SlowServer
beforeAll(async () => {
  dynamo = await startSlowServer()
  api = await startBooksApi({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.url })
})
afterAll(async () => {
  await api.stop()
  await dynamo.stop()
})

test('a DynamoDB call still pending at the deadline is answered 504, and its connection closed', async () => {
  // Prepare: a one-second function; the guard answers 500 ms before its end.
  const context = createContext({ timeoutMs: 1000 })
  // Act
  const answering = api.handler(events.apiGatewayV2({ method: 'GET', path: '/books/9780441478125' }), context)
  const request = await dynamo.nextRequest()
  const response = (await answering) as { statusCode: number; body: string }
  await request.closed
  // Assess
  expect(response.statusCode).toBe(504)
  expect(JSON.parse(response.body)).toEqual({ message: 'Gateway Timeout', requestId: context.awsRequestId })
  expect(request.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem')
  expect(dynamo.requests).toHaveLength(1) // abandoned, not retried
  expect(api.output.records().some((line) => line.level === 'ERROR' && line.error?.name === 'TimeoutError')).toBe(true)
})
