import { wrap } from '@lamina/core'
import { errorMapper } from '@lamina/errors'
import { createContext, type HttpAnswer, type HttpRequestInput, httpEvents } from '@lamina/testing'
import { validator } from '@lamina/validator'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'

// Hostile HTTP input through wrap().use(errorMapper()).use(validator(...)): every run must end in
// a well-formed response for its source, never a rejection. 10,500 runs in total.

type Source = keyof typeof httpEvents

const sources = Object.keys(httpEvents) as Source[]
const Signup = z.object({ name: z.string().max(50), tags: z.array(z.string()).max(5).optional() })
const maxBodyBytes = 4096

const unhandled: unknown[] = []
const recordUnhandled = (reason: unknown) => unhandled.push(reason)
beforeAll(() => {
  process.on('unhandledRejection', recordUnhandled)
})
afterAll(() => {
  process.off('unhandledRejection', recordUnhandled)
  expect(unhandled).toEqual([])
})

/** The function under test; its handler answers 200 without touching the (possibly huge) body. */
function makeHandler(schemas: Parameters<typeof validator>[0]) {
  const seen: unknown[] = []
  const handler = wrap<unknown>()
    .use(errorMapper())
    .use(validator({ maxBodyBytes, ...schemas }))
    .handler(async (event) => {
      seen.push(event)
      return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' }
    })
  return { handler, seen }
}

/** Asserts the response is what `source` expects, with a JSON body and no stack trace. */
function assertWellFormed(source: Source, response: HttpAnswer): void {
  expect(Number.isInteger(response.statusCode)).toBe(true)
  expect(typeof response.body).toBe('string')
  expect(typeof response.headers).toBe('object')
  const parsed = JSON.parse(response.body) as Record<string, unknown>
  expect(typeof parsed).toBe('object')
  expect(response.body).not.toMatch(/\n\s+at |"stack"/)
  // Error responses come from errorMapper; an ALB needs its status line in statusDescription.
  if (response.statusCode < 400) return
  if (source === 'alb') expect(response.statusDescription).toMatch(new RegExp(`^${response.statusCode} \\S`))
  else expect(response.statusDescription).toBeUndefined()
  expect(response.headers?.['content-type']).toBe('application/json')
}

const jsonTypes = [
  'application/json',
  'application/json; charset=utf-8',
  'application/problem+json',
  'APPLICATION/JSON',
]
const otherTypes = [
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data',
  'application/json; charset=latin1',
]
const contentType = fc.option(fc.oneof(fc.constantFrom(...jsonTypes, ...otherTypes), fc.string({ maxLength: 40 })), {
  nil: undefined,
})
const headerName = fc.constantFrom('content-type', 'Content-Type', 'CONTENT-TYPE')

/** Bodies a client could send: JSON (deep, unicode), random text, random bytes, near and over the limit. */
const body = fc.oneof(
  fc.json({ depthSize: 'large', maxDepth: 12 }),
  fc.jsonValue().map((value) => JSON.stringify({ name: 'n', extra: value })),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .record({ name: fc.string({ unit: 'grapheme', maxLength: 80 }), tags: fc.array(fc.string(), { maxLength: 8 }) })
    .map((value) => JSON.stringify(value)),
  fc.integer({ min: maxBodyBytes - 8, max: maxBodyBytes * 4 }).map((size) => `{"name":"${'x'.repeat(size)}"}`),
  fc.nat({ max: 5000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
)

const request = fc.record({
  source: fc.constantFrom(...sources),
  body: fc.oneof(
    body.map((text) => ({ text, base64: false })),
    body.map((text) => ({ text: Buffer.from(text).toString('base64'), base64: true })),
    fc.uint8Array({ maxLength: 600 }).map((bytes) => ({ text: Buffer.from(bytes).toString('base64'), base64: true })),
  ),
  contentType,
  headerName,
  extraHeaders: fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 40 }), { maxKeys: 5 }),
})

describe('hostile bodies', () => {
  it('always yield a well-formed 2xx or 4xx for the source, never a rejection', async () => {
    const { handler } = makeHandler({ body: Signup })
    const statuses = new Set<number>()
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        // Prepare
        const headers: Record<string, string> = { ...input.extraHeaders }
        for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-type') delete headers[name]
        if (input.contentType !== undefined) headers[input.headerName] = input.contentType
        const event = httpEvents[input.source]({
          method: 'POST',
          headers,
          body: input.body.text,
          isBase64Encoded: input.body.base64,
        } satisfies HttpRequestInput)
        // Act
        const response = (await handler(event, createContext())) as HttpAnswer
        // Assess
        assertWellFormed(input.source, response)
        expect([200, 400, 413, 415]).toContain(response.statusCode)
        statuses.add(response.statusCode)
      }),
      { numRuns: 4000 },
    )
    // The generators reach every outcome, so each one above was really exercised.
    expect([...statuses].sort()).toEqual([200, 400, 413, 415])
  })
})

describe('well-formed JSON', () => {
  it('reaches the handler exactly as JSON.parse reads it (prototype keys aside)', async () => {
    const { handler, seen } = makeHandler({ body: z.unknown(), maxBodyBytes: 1024 * 1024 })
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...sources), fc.jsonValue(), async (source, value) => {
        const text = JSON.stringify(value)
        fc.pre(text !== undefined && !/__proto__|constructor|prototype/.test(text))
        seen.length = 0
        const response = (await handler(
          httpEvents[source]({ body: text, headers: { 'content-type': 'application/json' } }),
          createContext(),
        )) as HttpAnswer
        expect(response.statusCode).toBe(200)
        expect((seen[0] as { body: unknown }).body).toStrictEqual(JSON.parse(text))
      }),
      { numRuns: 1500 },
    )
  })
})

/** JSON text with a dangerous key hidden at a random depth, sometimes \u-escaped. */
const pollutingJson = fc
  .record({
    key: fc.constantFrom('__proto__', 'constructor', 'prototype'),
    escaped: fc.boolean(),
    depth: fc.nat({ max: 20 }),
    siblings: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  })
  .map(({ key, escaped, depth, siblings }) => {
    const name = escaped ? `\\u${key.charCodeAt(0).toString(16).padStart(4, '0')}${key.slice(1)}` : key
    const poison = `{"${name}":{"polluted":"yes","prototype":{"polluted":"yes"}}}`
    const inner = `{${JSON.stringify(siblings).slice(1, -1)}${Object.keys(siblings).length > 0 ? ',' : ''}"x":${poison}}`
    return `${'{"a":['.repeat(depth)}${inner}${']}'.repeat(depth)}`
  })

function hasDangerousOwnKey(root: unknown): boolean {
  const pending = [root]
  while (pending.length > 0) {
    const value = pending.pop()
    if (typeof value !== 'object' || value === null) continue
    for (const key of ['__proto__', 'constructor', 'prototype']) if (Object.hasOwn(value, key)) return true
    pending.push(...Object.values(value))
  }
  return false
}

describe('prototype pollution', () => {
  it('never reaches a prototype, from JSON or form bodies, whatever the depth or escaping', async () => {
    const { handler, seen } = makeHandler({ body: z.unknown(), form: true })
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sources),
        fc.oneof(
          pollutingJson.map((text) => ({ text, type: 'application/json' })),
          fc
            .constantFrom(
              '__proto__',
              'constructor',
              'prototype',
              '__proto__[polluted]',
              'constructor[prototype][polluted]',
            )
            .map((key) => ({ text: `${key}=yes&ok=1`, type: 'application/x-www-form-urlencoded' })),
        ),
        async (source, input) => {
          seen.length = 0
          const response = (await handler(
            httpEvents[source]({ body: input.text, headers: { 'content-type': input.type } }),
            createContext(),
          )) as HttpAnswer
          const parsed = (seen[0] as { body: unknown }).body
          const merged = Object.assign({}, parsed) as Record<string, unknown>
          expect(response.statusCode).toBe(200)
          expect(hasDangerousOwnKey(parsed)).toBe(false)
          expect(merged.polluted).toBeUndefined()
          expect(({} as Record<string, unknown>).polluted).toBeUndefined()
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('hostile query strings, path parameters and headers', () => {
  it('always yield 200 or 400 with issues under the right part', async () => {
    const { handler } = makeHandler({
      query: z.object({ page: z.coerce.number().int().min(1) }),
      path: z.object({ id: z.string().min(1) }).optional(),
      headers: z.object({ 'x-api-key': z.string().min(8) }),
    })
    const dictionary = fc.dictionary(fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 60 }), {
      maxKeys: 6,
    })
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sources),
        dictionary,
        dictionary,
        dictionary,
        async (source, query, path, headers) => {
          const response = (await handler(
            httpEvents[source]({ query, pathParameters: path, headers }),
            createContext(),
          )) as HttpAnswer
          assertWellFormed(source, response)
          expect([200, 400]).toContain(response.statusCode)
          if (response.statusCode === 400) {
            const { issues } = JSON.parse(response.body) as { issues: { path: unknown[] }[] }
            for (const issue of issues) expect(['query', 'path', 'headers']).toContain(issue.path[0])
          }
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('server faults', () => {
  it('answer a 5xx with the generic message and request id only, whatever the error said', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...sources),
        fc.string({ minLength: 1, maxLength: 200 }),
        fc.jsonValue({ maxDepth: 3 }),
        fc.constantFrom('throw', 'bad-response'),
        async (source, message, output, fault) => {
          // Prepare: a handler that either throws with `message` or returns `output` that fails its schema.
          const context = createContext()
          const handler = wrap<unknown>()
            .use(errorMapper())
            .use(validator({ response: z.object({ statusCode: z.literal(200), body: z.string() }) }))
            .handler(async () => {
              if (fault === 'throw') throw Object.assign(new Error(message), { detail: output })
              return { statusCode: 201, body: output, message }
            })
          // Act
          const response = (await handler(httpEvents[source](), context)) as HttpAnswer
          // Assess
          assertWellFormed(source, response)
          expect(response.statusCode).toBe(500)
          expect(JSON.parse(response.body)).toEqual({
            message: 'Internal Server Error',
            requestId: context.awsRequestId,
          })
        },
      ),
      { numRuns: 1000 },
    )
  })
})
