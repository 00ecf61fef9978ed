// Property: for any HTTP request a client can send (malformed JSON, wrong or odd content types,
// base64 or not, random headers, any HTTP event source), Middy's HTTP middlewares answer the
// same under wrap() as under @middy/core, and the handler runs exactly as often.
import { httpEvents } from '@lamina/testing'
import httpCors from '@middy/http-cors'
import httpErrorHandler from '@middy/http-error-handler'
import httpHeaderNormalizer from '@middy/http-header-normalizer'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import { createError } from '@middy/util'
import warmup from '@middy/warmup'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type CompatMiddleware, runBoth } from './differential.js'

const contentTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/jsonx',
  'text/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
]

// Bodies a client actually sends, good and bad: JSON, truncated JSON, plain text, prototype keys.
const body = fc.oneof(
  fc.json({ maxDepth: 2 }),
  fc.json({ maxDepth: 2 }).map((json) => json.slice(0, Math.max(0, json.length - 1))),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}', 'null', '""'),
  fc.constant(undefined),
)

const headerName = fc.oneof(
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,12}$/),
  fc.constantFrom('Origin', 'origin', 'Access-Control-Request-Method', 'access-control-request-headers', 'Vary'),
)
const headerValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('https://app.example', 'https://x.partner.example', 'https://evil.example', 'null', 'POST'),
)

const request = fc.record({
  source: fc.constantFrom(...(Object.keys(httpEvents) as (keyof typeof httpEvents)[])),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'),
  contentTypeHeader: fc.constantFrom('content-type', 'Content-Type', 'CONTENT-TYPE'),
  contentType: fc.option(fc.constantFrom(...contentTypes), { nil: undefined }),
  headers: fc.dictionary(headerName, headerValue, { maxKeys: 5 }),
  body,
  base64: fc.boolean(),
  handlerOutcome: fc.constantFrom('echo', 'http-error', 'internal-error', 'plain-string'),
})

type GeneratedRequest = typeof request extends fc.Arbitrary<infer R> ? R : never

function toEvent(input: GeneratedRequest): unknown {
  const headers: Record<string, string> = { ...input.headers }
  if (input.contentType !== undefined) headers[input.contentTypeHeader] = input.contentType
  const encoded =
    input.base64 && input.body !== undefined ? Buffer.from(input.body, 'utf8').toString('base64') : input.body
  return httpEvents[input.source]({
    method: input.method,
    headers,
    body: encoded,
    isBase64Encoded: input.base64,
  })
}

const stack = (trace: string[]): CompatMiddleware[] => [
  warmup(),
  httpHeaderNormalizer(),
  httpCors({
    origins: ['https://app.example', 'https://*.partner.example'],
    credentials: true,
    disableBeforePreflightResponse: false,
  }),
  httpJsonBodyParser(),
  httpErrorHandler({ logger: (error: unknown) => trace.push(`logged ${(error as Error)?.message}`) }),
]

const handlerFor = (outcome: GeneratedRequest['handlerOutcome']) => (trace: string[]) => (event: unknown) => {
  trace.push('handler')
  const { body: parsed, headers } = event as { body?: unknown; headers?: Record<string, unknown> }
  if (outcome === 'http-error') throw createError(409, 'Order already placed')
  if (outcome === 'internal-error') throw new Error('table orders does not exist')
  if (outcome === 'plain-string') return 'done'
  return { statusCode: 200, body: JSON.stringify({ parsed, headerNames: Object.keys(headers ?? {}).sort() }) }
}

describe('Middy HTTP middlewares on generated requests', () => {
  it('give the same response, errors and handler calls under wrap() and @middy/core', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        // Prepare: one event, cloned for each engine (the body parser replaces event.body).
        const event = toEvent(input)
        // Act
        const { middy, lamina } = await runBoth({
          middlewares: stack,
          handler: handlerFor(input.handlerOutcome),
          event: () => structuredClone(event),
        })
        // Assess
        expect(lamina).toEqual(middy)
      }),
      { numRuns: 300 },
    )
  })

  it('cover the interesting outcomes (so the property is not vacuous)', async () => {
    // Prepare: one request per outcome the property above must be able to reach.
    const samples: GeneratedRequest[] = [
      { ...base, body: '{"a":' },
      { ...base, contentType: 'text/plain' },
      { ...base, method: 'OPTIONS', headers: { Origin: 'https://app.example' } },
      { ...base, handlerOutcome: 'internal-error' },
      { ...base },
    ]
    // Act
    const statuses = []
    for (const sample of samples) {
      const event = toEvent(sample)
      const { middy } = await runBoth({
        middlewares: stack,
        handler: handlerFor(sample.handlerOutcome),
        event: () => structuredClone(event),
      })
      statuses.push((middy.outcome as { resolved: { statusCode: number } }).resolved.statusCode)
    }
    // Assess
    expect(statuses).toEqual([422, 415, 204, 500, 200])
  })
})

const base: GeneratedRequest = {
  source: 'apiGatewayV2',
  method: 'POST',
  contentTypeHeader: 'content-type',
  contentType: 'application/json',
  headers: {},
  body: '{"a":1}',
  base64: false,
  handlerOutcome: 'echo',
}

describe('Middy HTTP middlewares on events that are not HTTP at all', () => {
  it.each([
    ['an empty object', {}],
    ['null', null],
    ['a string', 'ping'],
    ['an SQS-like batch', { Records: [{ body: '{}' }] }],
    ['headers without a body', { headers: { 'content-type': 'application/json' } }],
  ])('give the same outcome for %s', async (_, event) => {
    const { middy, lamina } = await runBoth({
      middlewares: stack,
      handler: handlerFor('echo'),
      event: () => structuredClone(event),
    })

    expect(lamina).toEqual(middy)
  })
})
