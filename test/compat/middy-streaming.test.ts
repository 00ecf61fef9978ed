// Differential: the same middleware stacks and handlers through @middy/core's streaming mode
// (executionModeStreamifyResponse) and through Lamina's wrapStream, each writing to its own
// response stream, under one stand-in of the Lambda runtime's `awslambda` global. The bytes on
// the wire (prelude, delimiter, body) and the content type must be the same.
import { Readable, Writable } from 'node:stream'
import type { AnyMiddleware } from '@lamina/core'
import { wrapStream } from '@lamina/core/stream'
import { createContext, events } from '@lamina/testing'
import middy from '@middy/core'
import { executionModeStreamifyResponse } from '@middy/core/StreamifyResponse'
import httpCors from '@middy/http-cors'
import httpErrorHandler from '@middy/http-error-handler'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

type Handler = (event: any, context: any) => unknown
type Stream = Writable & { setContentType(type: string): void }

/** The runtime's framing for HTTP integrations: before the first write, the JSON prelude and eight zero bytes. */
const runtime = {
  streamifyResponse: (handler: unknown) => handler,
  HttpResponseStream: {
    from(stream: Stream, prelude: object) {
      stream.setContentType('application/vnd.awslambda.http-integration-response')
      const write = stream.write.bind(stream) as (chunk: unknown) => boolean
      let first = true
      stream.write = ((chunk: unknown) => {
        if (first) {
          first = false
          write(JSON.stringify(prelude))
          write(new Uint8Array(8))
        }
        return write(chunk)
      }) as Stream['write']
      return stream
    },
  },
}

function responseStream() {
  const chunks: Buffer[] = []
  const types: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(Buffer.from(chunk))
      callback()
    },
  }) as Stream
  stream.setContentType = (type) => void types.push(type)
  return { stream, seen: () => ({ bytes: Buffer.concat(chunks).toString('latin1'), types }) }
}

interface Case {
  name: string
  event: () => unknown
  handler: Handler
  middlewares: () => AnyMiddleware[]
}

async function through(engine: 'middy' | 'lamina', testCase: Case) {
  const { stream, seen } = responseStream()
  const stack = testCase.middlewares()
  const handler =
    engine === 'middy'
      ? middy(testCase.handler, { executionMode: executionModeStreamifyResponse }).use(stack as never)
      : wrapStream(testCase.handler as never).use(stack)
  let outcome: string
  try {
    await (handler as (event: unknown, stream: Writable, context: unknown) => Promise<unknown>)(
      testCase.event(),
      stream,
      createContext(),
    )
    outcome = 'resolved'
  } catch (error) {
    outcome = `rejected: ${(error as Error).message}`
  }
  return { outcome, ...seen() }
}

const large = 'x'.repeat(1024 * 1024)
const httpEvent = () => events.functionUrl({ method: 'POST', headers: { origin: 'https://shop.example' } })
const jsonEvent = () =>
  events.functionUrl({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sku: 'A-1', quantity: 2 }),
  })

const cases: Case[] = [
  { name: 'a string body', event: () => ({}), handler: () => large, middlewares: () => [] },
  { name: 'a Node Readable', event: () => ({}), handler: () => Readable.from(['one,', 'two']), middlewares: () => [] },
  {
    name: 'a web ReadableStream',
    event: () => ({}),
    handler: () => ReadableStream.from(['web ', 'stream']),
    middlewares: () => [],
  },
  { name: 'null', event: () => ({}), handler: () => null, middlewares: () => [] },
  {
    name: 'an HTTP answer with CORS headers added in after',
    event: httpEvent,
    handler: () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: large }),
    middlewares: () => [httpCors({ origins: ['https://shop.example'] })],
  },
  {
    name: 'an HTTP answer whose body is a stream',
    event: httpEvent,
    handler: () => ({
      statusCode: 200,
      headers: { 'content-type': 'text/csv' },
      body: Readable.from(['a,b\n', '1,2\n']),
    }),
    middlewares: () => [httpCors({ origins: ['https://shop.example'] })],
  },
  {
    name: 'an HTTP answer with no body',
    event: httpEvent,
    handler: () => ({ statusCode: 301, headers: { location: 'https://example.com' } }),
    middlewares: () => [],
  },
  {
    name: 'a JSON body parsed in before and echoed',
    event: jsonEvent,
    handler: (event: { body: { sku: string } }) => ({ statusCode: 200, body: `sku ${event.body.sku}` }),
    middlewares: () => [httpJsonBodyParser()],
  },
  {
    name: 'an error mapped to an HTTP answer by http-error-handler',
    event: httpEvent,
    handler: () => {
      throw Object.assign(new Error('Not Found'), { statusCode: 404, expose: true })
    },
    middlewares: () => [httpErrorHandler({ logger: false }), httpCors({ origins: ['https://shop.example'] })],
  },
  {
    name: 'malformed JSON rejected in before and mapped',
    event: () => events.functionUrl({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }),
    handler: () => 'never',
    middlewares: () => [httpErrorHandler({ logger: false }), httpJsonBodyParser()],
  },
  {
    name: 'an answer given early by before',
    event: () => ({}),
    handler: () => 'never',
    middlewares: () => [{ before: () => ({ statusCode: 200, body: Readable.from(['cached']) }) }],
  },
  {
    name: 'a response an after hook replaced with a stream',
    event: () => ({}),
    handler: () => 'plain',
    middlewares: () => [
      {
        after: (request) => {
          request.response = { statusCode: 202, body: Readable.from([`${request.response} then streamed`]) }
        },
      },
    ],
  },
  {
    name: 'an error nothing answered',
    event: () => ({}),
    handler: () => {
      throw new Error('unmapped')
    },
    middlewares: () => [],
  },
]

describe('streaming: @middy/core and Lamina send the same bytes', () => {
  beforeAll(() => {
    ;(globalThis as { awslambda?: unknown }).awslambda = runtime
  })
  afterAll(() => {
    delete (globalThis as { awslambda?: unknown }).awslambda
  })

  it.each(cases)('$name', async (testCase) => {
    // Act
    const fromMiddy = await through('middy', testCase)
    const fromLamina = await through('lamina', testCase)
    // Assess
    expect(fromLamina).toEqual(fromMiddy)
  })

  it('really compares: the cases send something, and differ from one another', async () => {
    const seen = await Promise.all(cases.map((testCase) => through('lamina', testCase)))
    expect(new Set(seen.map((one) => one.bytes)).size).toBe(cases.length - 1) // null and the unmapped error send nothing
    expect(seen[4]?.bytes).toMatch(/^\{"statusCode":200,"headers":\{.*access-control-allow-origin/i)
  })
})
