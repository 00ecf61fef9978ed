// The protocol between @lamina/connections and the tracer's OpenTelemetry mode, with a stand-in
// for the tracer on globalThis (the real one is exercised in test/integration/connections-otel.test.ts).
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { keepAliveAgents, type OutgoingTracing, tracedFetch } from '@lamina/connections'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { traceSdkClient } from '../src/tracing.js'

const key = Symbol.for('lamina.otel')
const ended: { name: string; statusCode?: number | undefined; error?: unknown }[] = []
const standIn: OutgoingTracing = {
  start(name, _attributes, headers) {
    headers.traceparent = `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`
    return { end: (outcome) => ended.push({ name, ...outcome }) }
  },
}
const headersSeen: IncomingHttpHeaders[] = []
const server = createServer((request, response) => {
  headersSeen.push(request.headers)
  response.end('ok')
})
let url: string

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[key]
  ended.length = 0
  headersSeen.length = 0
})

afterAll(() => {
  server.closeAllConnections()
  server.close()
})

type Step = (args: { request: unknown }) => Promise<{ response: unknown }>
type Added = (next: Step, context: Record<string, string>) => Step

/** A client shaped like an AWS SDK v3 client, keeping the middleware added to it. */
const fakeClient = () => {
  const added: Added[] = []
  return { added, middlewareStack: { add: (middleware: Added) => added.push(middleware) } }
}

describe('traceSdkClient', () => {
  it('adds its step once, and only while the OpenTelemetry mode is on', () => {
    // Prepare
    const off = fakeClient()
    const on = fakeClient()

    // Act
    traceSdkClient(off)
    ;(globalThis as Record<symbol, unknown>)[key] = standIn
    traceSdkClient(on)
    traceSdkClient(on)
    traceSdkClient({ not: 'a client' })
    traceSdkClient(null)

    // Assess
    expect(off.added).toHaveLength(0)
    expect(on.added).toHaveLength(1)
  })

  it('names a span from whatever the SDK context has, and passes requests without headers through', async () => {
    // Prepare
    const client = fakeClient()
    ;(globalThis as Record<symbol, unknown>)[key] = standIn
    traceSdkClient(client)
    const step = client.added[0] as Added
    const failure = Object.assign(new Error('throttled'), { $metadata: { httpStatusCode: 429 } })

    // Act
    await step(async () => ({ response: { statusCode: 200 } }), {})({ request: { headers: {} } })
    await step(async () => ({ response: {} }), { clientName: 'S3Client', commandName: 'GetObjectCommand' })({
      request: { headers: {} },
    })
    await expect(step(async () => Promise.reject(failure), {})({ request: { headers: {} } })).rejects.toBe(failure)
    const bare = await step(async () => ({ response: 'untraced' }), {})({ request: {} })
    delete (globalThis as Record<symbol, unknown>)[key]
    const off = await step(async () => ({ response: 'off' }), {})({ request: { headers: {} } })

    // Assess
    expect(ended).toEqual([
      { name: 'AWS.call', statusCode: 200 },
      { name: 'S3.GetObject', statusCode: undefined },
      { name: 'AWS.call', statusCode: 429, error: failure },
    ])
    expect([bare.response, off.response]).toEqual(['untraced', 'off'])
  })
})

describe('tracedFetch', () => {
  it('sends every call through the dispatcher given, traced or not, and keeps a call’s own headers', async () => {
    // Prepare
    const agents = keepAliveAgents()
    const http = tracedFetch({ dispatcher: agents.dispatcher })

    // Act
    const untraced = await http(url, { headers: { 'x-own': '1' } })
    ;(globalThis as Record<symbol, unknown>)[key] = standIn
    const traced = await http(new Request(url, { method: 'DELETE', headers: { 'x-own': '2' } }))
    await agents.destroy()

    // Assess
    expect([untraced.status, traced.status]).toEqual([200, 200])
    expect(headersSeen.map((headers) => [headers['x-own'], headers.traceparent])).toEqual([
      ['1', undefined],
      ['2', `00-${'1'.repeat(32)}-${'2'.repeat(16)}-01`],
    ])
    expect(ended).toEqual([{ name: 'DELETE', statusCode: 200 }])
  })

  it('makes no span when the tracer has no invocation to put it under', async () => {
    // Prepare
    ;(globalThis as Record<symbol, unknown>)[key] = { start: () => undefined } satisfies OutgoingTracing
    const http = tracedFetch()

    // Act
    const response = await http(url)

    // Assess
    expect(response.status).toBe(200)
    expect(headersSeen[0]?.traceparent).toBeUndefined()
  })
})
