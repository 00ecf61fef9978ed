// HTTP requests as each source's event, and functions' results as each source's answer.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type HttpRequestParts, toHttpEvent } from '../../src/dev/http-event.js'
import { preludeHeaders, toHttpAnswer } from '../../src/dev/http-response.js'

const request = (parts: Partial<HttpRequestParts> = {}): HttpRequestParts => ({
  method: 'GET',
  url: '/',
  rawHeaders: [],
  body: Buffer.alloc(0),
  ...parts,
})
const route = { routeKey: 'GET /things/{id}', pathParameters: { id: '7' } }

describe('toHttpEvent', () => {
  it('v2: repeated headers and query values joined by commas, cookies in their own list, the route key', () => {
    const event = toHttpEvent(
      request({
        url: '/things/7?a=1&a=2&b=x%20y',
        rawHeaders: ['X-Tag', 'one', 'x-tag', 'two', 'Cookie', 'a=1; b=2', 'User-Agent', 'curl'],
      }),
      { format: 'v2', ...route, requestId: 'r-1' },
    )
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /things/{id}',
      rawPath: '/things/7',
      rawQueryString: 'a=1&a=2&b=x%20y',
      headers: { 'x-tag': 'one,two', 'user-agent': 'curl' },
      cookies: ['a=1', 'b=2'],
      queryStringParameters: { a: '1,2', b: 'x y' },
      pathParameters: { id: '7' },
      requestContext: {
        requestId: 'r-1',
        routeKey: 'GET /things/{id}',
        http: { method: 'GET', path: '/things/7', userAgent: 'curl' },
      },
    })
    expect(event.headers).not.toHaveProperty('cookie')
    expect(event.body).toBeUndefined()
  })

  it('v1: single and multi-value maps, the resource, null where REST APIs send null', () => {
    const event = toHttpEvent(request({ url: '/things/7?a=1&a=2', rawHeaders: ['X-Tag', 'one', 'X-Tag', 'two'] }), {
      format: 'v1',
      ...route,
    })
    expect(event).toMatchObject({
      resource: '/things/{id}',
      path: '/things/7',
      httpMethod: 'GET',
      headers: { 'x-tag': 'two' },
      multiValueHeaders: { 'x-tag': ['one', 'two'] },
      queryStringParameters: { a: '2' },
      multiValueQueryStringParameters: { a: ['1', '2'] },
      pathParameters: { id: '7' },
      body: null,
      requestContext: { resourcePath: '/things/{id}', identity: { sourceIp: '127.0.0.1' } },
    })
    const bare = toHttpEvent(request(), { format: 'v1', routeKey: '$default', pathParameters: undefined })
    expect(bare).toMatchObject({
      resource: '/{proxy+}',
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
    })
  })

  it('ALB and Function URL shapes', () => {
    const alb = toHttpEvent(
      request({ url: '/x?q=1', method: 'post', body: Buffer.from('hi'), rawHeaders: ['content-type', 'text/plain'] }),
      {
        format: 'alb',
        routeKey: '$default',
        pathParameters: undefined,
      },
    )
    const url = toHttpEvent(request({ url: '/x' }), { format: 'url', ...route })
    expect(alb).toMatchObject({
      httpMethod: 'POST',
      path: '/x',
      queryStringParameters: { q: '1' },
      body: 'hi',
      requestContext: { elb: {} },
    })
    expect(url).toMatchObject({
      routeKey: '$default',
      requestContext: { domainName: expect.stringMatching(/lambda-url/) },
    })
    expect(url).not.toHaveProperty('pathParameters')
  })

  it('text bodies as text, anything else base64-encoded', () => {
    const bytes = Buffer.from([0, 255, 1])
    const text = (type: string | undefined, body: Buffer) =>
      toHttpEvent(request({ method: 'POST', body, rawHeaders: type ? ['content-type', type] : [] }), {
        format: 'v2',
        routeKey: '$default',
        pathParameters: undefined,
      })
    expect(text('application/json; charset=utf-8', Buffer.from('{"a":1}'))).toMatchObject({
      body: '{"a":1}',
      isBase64Encoded: false,
    })
    expect(text('application/vnd.api+json', Buffer.from('{}'))).toMatchObject({ body: '{}', isBase64Encoded: false })
    expect(text(undefined, Buffer.from('plain'))).toMatchObject({ body: 'plain', isBase64Encoded: false })
    expect(text('image/png', bytes)).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true })
  })

  it('property: any header values and query values reach the v2 event intact, in order', () => {
    const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/)
    const value = fc
      .string({ maxLength: 12 })
      .filter((text) => !/[\r\n\0,]/.test(text) && text.trim() === text && text !== '')
    fc.assert(
      fc.property(
        fc.dictionary(token, fc.array(value, { minLength: 1, maxLength: 3 })),
        fc.array(fc.tuple(token, value), { maxLength: 5 }),
        (headers, query) => {
          const names = Object.keys(headers).filter((name) => name !== 'cookie')
          const rawHeaders = names.flatMap((name) => (headers[name] as string[]).flatMap((v) => [name, v]))
          const search = new URLSearchParams(query).toString()
          const event = toHttpEvent(request({ url: `/p${search ? `?${search}` : ''}`, rawHeaders }), {
            format: 'v2',
            routeKey: '$default',
            pathParameters: undefined,
          }) as {
            headers: Record<string, string>
            queryStringParameters?: Record<string, string>
            rawQueryString: string
          }
          for (const name of names) expect(event.headers[name]).toBe((headers[name] as string[]).join(','))
          expect(event.rawQueryString).toBe(search)
          const expected: Record<string, string[]> = {}
          for (const [key, v] of query) expected[key] = [...(expected[key] ?? []), v]
          for (const [key, values] of Object.entries(expected))
            expect(event.queryStringParameters?.[key]).toBe(values.join(','))
        },
      ),
    )
  })
})

describe('toHttpAnswer', () => {
  it('v2 and Function URLs: a value without statusCode is a 200 with the value as JSON', () => {
    for (const format of ['v2', 'url'] as const) {
      const answer = toHttpAnswer({ hello: 'world' }, format)
      expect(answer).toMatchObject({ statusCode: 200, headers: [['content-type', 'application/json']] })
      expect(answer.body.toString()).toBe('{"hello":"world"}')
    }
    expect(toHttpAnswer('text', 'v2').body.toString()).toBe('"text"')
    expect(toHttpAnswer(undefined, 'v2').body.toString()).toBe('')
  })

  it('v1 and ALB: a result without statusCode, or with an impossible one, is a bare 502', () => {
    for (const result of [
      { hello: 'world' },
      'text',
      null,
      { statusCode: 'abc' },
      { statusCode: 99 },
      { statusCode: 600 },
    ]) {
      for (const format of ['v1', 'alb'] as const) {
        const answer = toHttpAnswer(result, format)
        expect(answer.statusCode).toBe(502)
        expect(answer.body.toString()).toBe('{"message":"Internal server error"}')
      }
    }
  })

  it('headers and multi-value headers merged (the multi-value list wins a name in both), cookies as set-cookie lines', () => {
    const answer = toHttpAnswer(
      {
        statusCode: 302,
        headers: { Location: '/next', 'X-Both': 'single', 'X-Null': null },
        multiValueHeaders: { 'X-Both': ['a', 'b'], 'X-Bad': 'not a list' },
        cookies: ['a=1', 'b=2'],
        body: { not: 'a string' },
      },
      'v2',
    )
    expect(answer.statusCode).toBe(302)
    expect(answer.headers).toEqual([
      ['location', '/next'],
      ['x-both', 'a'],
      ['x-both', 'b'],
      ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'],
    ])
    expect(answer.body.toString()).toBe('{"not":"a string"}')
  })

  it('decodes a base64 body to its bytes', () => {
    const bytes = Buffer.from([0, 1, 254, 255])
    expect([
      ...toHttpAnswer({ statusCode: 200, body: bytes.toString('base64'), isBase64Encoded: true }, 'v1').body,
    ]).toEqual([0, 1, 254, 255])
    expect(toHttpAnswer({ statusCode: 204, body: null }, 'v2').body.length).toBe(0)
  })

  it("a streamed response's prelude: its headers, then one set-cookie per cookie", () => {
    expect(preludeHeaders({ 'Content-Type': 'text/plain' }, ['a=1'])).toEqual([
      ['content-type', 'text/plain'],
      ['set-cookie', 'a=1'],
    ])
    expect(preludeHeaders(undefined, undefined)).toEqual([])
  })

  it('property: any structured answer keeps its status and its body, byte for byte', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 599 }),
        fc.uint8Array({ maxLength: 64 }),
        fc.boolean(),
        (statusCode, bytes, base64) => {
          const body = base64 ? Buffer.from(bytes).toString('base64') : Buffer.from(bytes).toString('latin1')
          const answer = toHttpAnswer({ statusCode, body, isBase64Encoded: base64 }, 'v2')
          expect(answer.statusCode).toBe(statusCode)
          expect(answer.body.equals(base64 ? Buffer.from(bytes) : Buffer.from(body))).toBe(true)
        },
      ),
    )
  })
})
