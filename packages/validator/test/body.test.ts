import { wrap } from '@lamina/core'
import { events, httpSources, invoke } from '@lamina/testing'
import { ValidationError, validator } from '@lamina/validator'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { bodyOf, echoFunction } from './helpers.js'

const Order = z.object({
  sku: z.string().min(1),
  quantity: z.coerce.number().int().positive(),
  gift: z.boolean().default(false),
  note: z
    .string()
    .transform((note) => note.trim())
    .optional(),
})

describe.each(httpSources)('body on $name', ({ factory }) => {
  it('gives the handler the parsed body with defaults, coercions and transforms applied', async () => {
    // Prepare
    const { call, seen } = echoFunction(validator({ body: Order }))
    // Act
    const response = await call(factory({ body: { sku: 'A-1', quantity: '3', note: '  hi  ' } }))
    // Assess
    expect(response.statusCode).toBe(200)
    expect((seen[0] as { body: unknown }).body).toEqual({ sku: 'A-1', quantity: 3, gift: false, note: 'hi' })
  })

  it('answers 400 saying the body is not valid JSON, without quoting it', async () => {
    const { call, seen } = echoFunction(validator({ body: Order }))
    const response = await call(
      factory({ body: '{"sku": secret-token', headers: { 'content-type': 'application/json' } }),
    )
    expect(response.statusCode).toBe(400)
    expect(bodyOf(response).message).toMatch(/not valid JSON/)
    expect(response.body).not.toContain('secret-token')
    expect(seen).toHaveLength(0)
  })

  it('answers 400 with { path, message } issues and nothing else of the input', async () => {
    const { call } = echoFunction(validator({ body: Order }))
    const response = await call(factory({ body: { sku: '', quantity: -2, password: 'hunter2-value' } }))
    const body = bodyOf(response)
    expect(response.statusCode).toBe(400)
    expect(body.message).toMatch(/body did not pass validation/)
    expect(body.issues?.map((issue) => issue.path)).toEqual([
      ['body', 'sku'],
      ['body', 'quantity'],
    ])
    for (const issue of body.issues ?? []) expect(Object.keys(issue).sort()).toEqual(['message', 'path'])
    expect(response.body).not.toContain('hunter2-value')
  })

  it('answers 422 for a schema failure when configured so', async () => {
    const { call } = echoFunction(validator({ body: Order, invalidStatus: 422 }))
    const response = await call(factory({ body: { sku: 'A-1' } }))
    expect(response.statusCode).toBe(422)
    expect(bodyOf(response).issues?.[0]?.path).toEqual(['body', 'quantity'])
  })

  it('answers 415 for a body without a content type', async () => {
    const { call } = echoFunction(validator({ body: Order }))
    const response = await call(factory({ body: '{"sku":"A-1","quantity":1}' }))
    expect(response.statusCode).toBe(415)
    expect(bodyOf(response).message).toMatch(/no Content-Type/)
  })

  it.each(['text/plain', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=latin1'])(
    'answers 415 for content type %s',
    async (contentType) => {
      const { call } = echoFunction(validator({ body: Order }))
      const response = await call(
        factory({ body: '{"sku":"A-1","quantity":1}', headers: { 'Content-Type': contentType } }),
      )
      expect(response.statusCode).toBe(415)
      expect(response.body).not.toContain(contentType)
    },
  )

  it('parses +json types and a content type header in any case, with a charset', async () => {
    const { call, seen } = echoFunction(validator({ body: Order }))
    const response = await call(
      factory({
        body: '{"sku":"A-1","quantity":2}',
        headers: { 'CONTENT-TYPE': 'application/vnd.order+json; charset=UTF-8' },
      }),
    )
    expect(response.statusCode).toBe(200)
    expect((seen[0] as { body: { quantity: number } }).body.quantity).toBe(2)
  })

  it('refuses a form post by default with 415, saying what this route accepts', async () => {
    // Prepare: what a cross-site HTML form sends without a CORS preflight.
    const { call, seen } = echoFunction(validator({ body: Order }))
    // Act
    const response = await call(
      factory({ body: 'sku=A-1&quantity=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
    )
    // Assess
    expect(response.statusCode).toBe(415)
    expect(bodyOf(response).message).toBe(
      'Unsupported Content-Type for the request body; this route accepts application/json (or a +json type).',
    )
    expect(seen).toHaveLength(0)
  })

  it.each([
    ['no content type', { body: '{"sku":"A-1"}' }],
    ['a form body', { body: 'sku=A-1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }],
    ['invalid JSON', { body: '{"sku":', headers: { 'content-type': 'application/json' } }],
  ])('answers %s with a message and the request id only, no empty issues list', async (_label, input) => {
    const { call } = echoFunction(validator({ body: Order }))
    const response = await call(factory(input))
    expect(Object.keys(bodyOf(response)).sort()).toEqual(['message', 'requestId'])
  })

  it('parses form bodies when the route opts in with form: true, repeated fields as arrays', async () => {
    const Form = z.object({ name: z.string(), tag: z.array(z.string()), age: z.coerce.number() })
    const { call, seen } = echoFunction(validator({ body: Form, form: true }))
    const response = await call(
      factory({
        body: 'name=Ada+Lovelace&tag=a&tag=b&age=36',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    )
    expect(response.statusCode).toBe(200)
    expect((seen[0] as { body: unknown }).body).toEqual({ name: 'Ada Lovelace', tag: ['a', 'b'], age: 36 })
  })

  it('lists form data among the accepted types of a route that opted in', async () => {
    const { call } = echoFunction(validator({ body: Order, form: true }))
    const response = await call(factory({ body: 'sku', headers: { 'content-type': 'text/plain' } }))
    expect(response.statusCode).toBe(415)
    expect(bodyOf(response).message).toBe(
      'Unsupported Content-Type for the request body; this route accepts application/json (or a +json type) or application/x-www-form-urlencoded.',
    )
  })

  it('still parses JSON on a route that accepts forms', async () => {
    const { call, seen } = echoFunction(validator({ body: Order, form: true }))
    const response = await call(factory({ body: { sku: 'A-1', quantity: 1 } }))
    expect(response.statusCode).toBe(200)
    expect((seen[0] as { body: { sku: string } }).body.sku).toBe('A-1')
  })

  it('decodes base64 bodies before parsing', async () => {
    const { call, seen } = echoFunction(validator({ body: Order }))
    const encoded = Buffer.from('{"sku":"Å-1","quantity":1}').toString('base64')
    const response = await call(
      factory({ body: encoded, isBase64Encoded: true, headers: { 'content-type': 'application/json' } }),
    )
    expect(response.statusCode).toBe(200)
    expect((seen[0] as { body: { sku: string } }).body.sku).toBe('Å-1')
  })

  it('answers 400 for a base64 body that is not UTF-8', async () => {
    const { call } = echoFunction(validator({ body: Order }))
    const encoded = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64')
    const response = await call(
      factory({ body: encoded, isBase64Encoded: true, headers: { 'content-type': 'application/json' } }),
    )
    expect(response.statusCode).toBe(400)
    expect(bodyOf(response).message).toMatch(/not valid UTF-8/)
  })

  it('gives the schema undefined for an empty body, so optional bodies work', async () => {
    const { call, seen } = echoFunction(validator({ body: Order.optional() }))
    const response = await call(factory({ method: 'POST' }))
    expect(response.statusCode).toBe(200)
    expect((seen[0] as { body?: unknown }).body).toBeUndefined()
  })

  it('answers 400 for an empty body when the schema requires one', async () => {
    const { call } = echoFunction(validator({ body: Order }))
    const response = await call(factory({ method: 'POST' }))
    expect(response.statusCode).toBe(400)
    expect(bodyOf(response).issues?.[0]?.path).toEqual(['body'])
  })
})

describe.each(httpSources)('body size limit on $name', ({ factory }) => {
  const json = { 'content-type': 'application/json' }
  const Anything = z.unknown()

  it('answers 413 for a body over maxBodyBytes, before parsing it', async () => {
    // Prepare: invalid JSON, so a parse attempt would answer 400 instead.
    const { call } = echoFunction(validator({ body: Anything, maxBodyBytes: 16 }))
    // Act
    const response = await call(factory({ body: `{${'x'.repeat(16)}`, headers: json }))
    // Assess
    expect(response.statusCode).toBe(413)
    expect(bodyOf(response).message).toMatch(/larger than the 16-byte limit/)
  })

  it('counts UTF-8 bytes, not characters', async () => {
    const { call } = echoFunction(validator({ body: Anything, maxBodyBytes: 16 }))
    // 8 characters, 7 of them 3 bytes each in UTF-8.
    const response = await call(factory({ body: '"€€€€€€"', headers: json }))
    expect(response.statusCode).toBe(413)
  })

  it('accepts a body of exactly maxBodyBytes', async () => {
    const { call } = echoFunction(validator({ body: Anything, maxBodyBytes: 16 }))
    const response = await call(factory({ body: `"${'x'.repeat(14)}"`, headers: json }))
    expect(response.statusCode).toBe(200)
  })

  it('measures base64 bodies after decoding: a 24-character encoding of 16 bytes passes', async () => {
    const { call } = echoFunction(validator({ body: Anything, maxBodyBytes: 16 }))
    const encoded = Buffer.from(`"${'x'.repeat(14)}"`).toString('base64')
    const response = await call(factory({ body: encoded, isBase64Encoded: true, headers: json }))
    expect(encoded.length).toBeGreaterThan(16)
    expect(response.statusCode).toBe(200)
  })

  it('answers 413 for a base64 body that decodes to more than maxBodyBytes', async () => {
    const { call } = echoFunction(validator({ body: Anything, maxBodyBytes: 16 }))
    const near = Buffer.from(`"${'x'.repeat(15)}"`).toString('base64')
    const far = Buffer.from(`"${'x'.repeat(4000)}"`).toString('base64')
    expect((await call(factory({ body: near, isBase64Encoded: true, headers: json }))).statusCode).toBe(413)
    expect((await call(factory({ body: far, isBase64Encoded: true, headers: json }))).statusCode).toBe(413)
  })

  it('defaults to 1 MiB', async () => {
    const { call } = echoFunction(validator({ body: Anything }))
    const underLimit = `"${'x'.repeat(1024 * 1024 - 2)}"`
    expect((await call(factory({ body: underLimit, headers: json }))).statusCode).toBe(200)
    expect((await call(factory({ body: `${underLimit} `, headers: json }))).statusCode).toBe(413)
  })
})

describe('body the caller already parsed', () => {
  it('validates a body that is already an object (another parser ran first) as it is', async () => {
    const handler = wrap<{ body: unknown; version: string; requestContext: object }>()
      .use(validator({ body: z.object({ id: z.number() }) }))
      .handler(async (event) => event.body.id)
    const event = { ...events.apiGatewayV2(), body: { id: 7 } }
    await expect(invoke(handler, event)).resolves.toBe(7)
  })

  it('throws ValidationError itself when no error mapper is in the chain', async () => {
    const handler = wrap<unknown>()
      .use(validator({ body: z.object({ id: z.number() }) }))
      .handler(async () => 'unreachable')
    const error = await invoke(handler, events.apiGatewayV2({ body: { id: 'x' } })).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(ValidationError)
    expect(error).toMatchObject({ statusCode: 400, expose: true, parts: ['body'] })
  })
})
