// The dev server with real HTTP requests, in front of the shop fixture's functions run by the
// real local runtime (one child process per function).
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixtures, nextInvocation, startTestServer, type TestServer } from './support/dev-server.js'

let server: TestServer

/** Answers of known shapes, read loosely as tests do. */
type Json = any
const json = (response: Response): Promise<Json> => response.json()

beforeAll(async () => {
  server = await startTestServer({ dir: join(fixtures, 'shop') })
})
afterAll(() => server?.close())

const url = (path: string) => `${server.url}${path}`

describe('lamina dev: HTTP API (v2) routes from the template', () => {
  it('turns a request into the HTTP API event of its route and answers with status, headers and every cookie', async () => {
    // Act
    const response = await fetch(url('/items/42?tag=a&tag=b'), {
      headers: { cookie: 'x=1; y=2', accept: 'text/plain' },
    })
    // Assess
    expect(response.status).toBe(200)
    expect(response.headers.get('x-stage')).toBe('local')
    expect(response.headers.getSetCookie()).toEqual(['session=abc; HttpOnly', 'theme=dark'])
    expect(await json(response)).toMatchObject({
      functionName: 'shop-items-local',
      version: '2.0',
      routeKey: 'GET /items/{id}',
      pathParameters: { id: '42' },
      query: { tag: 'a,b' },
      rawQueryString: 'tag=a&tag=b',
      cookies: ['x=1', 'y=2'],
      accept: 'text/plain',
      queueArn: 'arn:aws:sqs:us-east-1:123456789012:Orders',
    })
  })

  it('prefers a literal route over a path parameter, and passes a POST body as text', async () => {
    const special = await json(await fetch(url('/items/special')))
    const created = await fetch(url('/items'), {
      method: 'POST',
      body: '{"sku":"mug"}',
      headers: { 'content-type': 'application/json' },
    })
    expect(special).toMatchObject({ routeKey: 'GET /items/special', pathParameters: null })
    expect(created.status).toBe(201)
    expect(await json(created)).toMatchObject({
      routeKey: 'POST /items',
      body: '{"sku":"mug"}',
      isBase64Encoded: false,
    })
  })

  it('passes a binary body base64-encoded, as API Gateway does', async () => {
    const bytes = Buffer.from([0, 159, 146, 150, 255])
    const answer = await json(
      await fetch(url('/items'), { method: 'POST', body: bytes, headers: { 'content-type': 'image/png' } }),
    )
    expect(answer).toMatchObject({ isBase64Encoded: true, body: bytes.toString('base64') })
  })

  it('answers 404 for a path no route takes, and says so in the terminal', async () => {
    const response = await fetch(url('/nowhere'))
    expect(response.status).toBe(404)
    expect(await json(response)).toEqual({ message: 'Not Found' })
    expect(server.lines).toContain('GET /nowhere → 404 (no route in the template)')
  })

  it('prints one line per invocation: method, path, status, duration, cold or warm, time per middleware', async () => {
    // Prepare: the first call made the process warm
    await fetch(url('/slow'))
    const logged = nextInvocation(server, (record) => record.label === 'GET /slow')
    // Act
    await fetch(url('/slow'))
    await logged
    // Assess
    const line = server.lines.filter((text) => text.startsWith('GET /slow')).at(-1)
    expect(line).toMatch(/^GET \/slow → 200 {2}\d+ ms warm {2}slow-before \d+ ms · handler \d+ ms · slow-after \d+ ms$/)
  })
})

describe('lamina dev: other HTTP sources and failures', () => {
  it('gives a REST API (Api event) route the v1 event: multi-value headers both ways, a binary answer', async () => {
    const response = await fetch(url('/legacy/a/b'), {
      headers: [
        ['x-tag', 'one'],
        ['x-tag', 'two'],
      ],
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-resource')).toBe('/legacy/{proxy+}')
    expect(response.headers.get('x-proxy')).toBe('a/b')
    expect(response.headers.get('x-seen')).toBe('one, two')
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([0, 1, 2, 255])
  })

  it('answers a function error with a bare 502 that carries nothing of the error', async () => {
    const response = await fetch(url('/broken'))
    const text = await response.text()
    expect(response.status).toBe(502)
    expect(text).toBe('{"message":"Internal server error"}')
    const record = server.history.list().findLast((entry) => entry.label === 'GET /broken')
    expect(record).toMatchObject({
      ok: false,
      error: { errorType: 'Error' },
      logs: expect.arrayContaining(['about to fail']),
    })
  })

  it('answers a function past its timeout with 504, and the next call starts a fresh process', async () => {
    // Act
    const first = await fetch(url('/sleepy'))
    const second = await fetch(url('/sleepy'))
    // Assess
    expect([first.status, await first.text()]).toEqual([504, '{"message":"Endpoint request timed out"}'])
    expect(second.status).toBe(504)
    const records = server.history.list().filter((entry) => entry.label === 'GET /sleepy')
    expect(records.map((entry) => [entry.summary, entry.cold])).toEqual([
      ['504 (timed out)', true],
      ['504 (timed out)', true],
    ])
  })
})

describe('lamina dev: streaming', () => {
  it('sends the prelude and each chunk as the function writes it, before the function has finished', async () => {
    // Prepare: the function waits for this server between its two chunks
    const held: ServerResponse[] = []
    let arrived: () => void = () => {}
    const functionWaiting = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const gate = createServer((_, response) => {
      held.push(response)
      arrived()
    })
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve))
    const release = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/`
    try {
      // Act
      const response = await fetch(url(`/stream?release=${encodeURIComponent(release)}`))
      const reader = (response.body as ReadableStream<Uint8Array>).getReader()
      const first = new TextDecoder().decode((await reader.read()).value)
      await functionWaiting
      for (const waiting of held) waiting.end('go')
      let rest = ''
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
        rest += new TextDecoder().decode(chunk.value)
      // Assess
      expect(response.status).toBe(206)
      expect(response.headers.get('x-streamed')).toBe('yes')
      expect(response.headers.getSetCookie()).toEqual(['streamed=1'])
      expect(first).toBe('first chunk\n')
      expect(rest).toBe('second chunk\n')
    } finally {
      gate.closeAllConnections()
      gate.close()
    }
  })
})

describe('lamina dev: SQS batches', () => {
  it('builds a real SQS batch from the bodies posted to /_lamina/sqs/<function> and shows the failed messages', async () => {
    // Act
    const response = await fetch(url('/_lamina/sqs/QueueFunction'), {
      method: 'POST',
      body: JSON.stringify(['plain text', { fail: true }, { id: 3 }]),
    })
    // Assess
    const answer = await json(response)
    expect(response.status).toBe(200)
    expect(answer.messages.map((message: { body: string }) => message.body)).toEqual([
      'plain text',
      '{"fail":true}',
      '{"id":3}',
    ])
    expect(answer.failed).toEqual([answer.messages[1].messageId])
    const record = server.history.list().findLast((entry) => entry.source === 'sqs')
    expect(record).toMatchObject({
      label: 'SQS Orders',
      summary: '1 of 3 failed',
      ok: false,
      logs: ['processed 2 of 3'],
    })
    expect((record?.event as { Records: { eventSourceARN: string }[] } | undefined)?.Records[0]?.eventSourceARN).toBe(
      'arn:aws:sqs:us-east-1:123456789012:Orders',
    )
  })

  it('finds the function by its FunctionName too, and answers bad bodies and unknown functions with what to send', async () => {
    const byName = await fetch(url('/_lamina/sqs/shop-items-local'), { method: 'POST', body: '["x"]' })
    const notJson = await fetch(url('/_lamina/sqs/QueueFunction'), { method: 'POST', body: 'nope' })
    const notArray = await fetch(url('/_lamina/sqs/QueueFunction'), { method: 'POST', body: '{"a":1}' })
    const unknown = await fetch(url('/_lamina/sqs/Nope'), { method: 'POST', body: '["x"]' })
    expect(byName.status).toBe(200)
    expect(notJson.status).toBe(400)
    expect((await json(notJson)).message).toMatch(/not JSON: send a JSON array of message bodies/)
    expect(notArray.status).toBe(400)
    expect((await json(notArray)).message).toMatch(/non-empty JSON array/)
    expect(unknown.status).toBe(404)
    expect((await json(unknown)).message).toMatch(/No function "Nope".*ItemsFunction, LegacyFunction/)
  })
})

describe('lamina dev: inspector endpoints', () => {
  it('lists the last invocations as JSON and names the endpoints when asked for another', async () => {
    await fetch(url('/items/7'))
    const list = await json(await fetch(url('/_lamina/invocations')))
    const unknown = await fetch(url('/_lamina/nope'))
    expect(list.at(-1)).toMatchObject({
      label: 'GET /items/7',
      status: 200,
      source: 'http',
      functionName: 'shop-items-local',
    })
    expect(unknown.status).toBe(404)
    expect((await json(unknown)).message).toMatch(/GET \/_lamina\/events/)
  })

  it('streams each new invocation to /_lamina/events as it ends', async () => {
    // Prepare
    const controller = new AbortController()
    const events = await fetch(url('/_lamina/events'), { signal: controller.signal })
    const reader = (events.body as ReadableStream<Uint8Array>).getReader()
    // Act
    await fetch(url('/items/99'))
    // Assess
    let text = ''
    while (!text.includes('GET /items/99')) text += new TextDecoder().decode((await reader.read()).value)
    controller.abort()
    expect(events.headers.get('content-type')).toBe('text/event-stream')
    const data = text.split('\n').find((line) => line.startsWith('data: ') && line.includes('/items/99')) as string
    expect(JSON.parse(data.slice(6))).toMatchObject({ label: 'GET /items/99', status: 200 })
  })
})

describe('lamina dev: a stream that fails half way', () => {
  it('cuts the connection after the chunks already sent: the status cannot change any more', async () => {
    const response = await fetch(url('/stream?fail=1'))
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(response.status).toBe(206)
    expect(first).toBe('first chunk\n')
    await expect(reader.read()).rejects.toThrow()
    const record = server.history.list().findLast((entry) => entry.label === 'GET /stream')
    expect(record).toMatchObject({ ok: false, error: { errorMessage: 'the stream broke half way' } })
  })
})
