import { HttpRequest, HttpResponse, InvocationContext, type LogLevel } from '@azure/functions'
import { type AzureLambdaContext, parseSetCookie, toAzure } from '@lamina/azure'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { describe, expect, it, vi } from 'vitest'

const url = 'https://lamina.azurewebsites.net/api/items'

/** A toAzure handler whose Lamina handler records the event and context it got. */
function capture(...given: [result?: unknown]) {
  const result = given.length === 0 ? { statusCode: 204 } : given[0]
  const seen: { event?: APIGatewayProxyEventV2; context?: AzureLambdaContext } = {}
  const handler = toAzure(async (event, context) => {
    seen.event = event
    seen.context = context
    return result
  })
  return { handler, seen }
}

const invocation = (init: ConstructorParameters<typeof InvocationContext>[0] = {}) =>
  new InvocationContext({ invocationId: 'inv-1', functionName: 'items', ...init })

describe('toAzure: setup', () => {
  it.each([undefined, null, 'handler', { handler: () => 1 }])(
    'refuses %p as the handler, naming what to pass',
    (value) => {
      // Act / Assess
      expect(() => toAzure(value as never)).toThrow(/toAzure\(\) needs a Lamina handler function \(the result of wrap/)
    },
  )

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '300000'])('refuses timeoutMs %p', (timeoutMs) => {
    expect(() => toAzure(async () => 1, { timeoutMs: timeoutMs as number })).toThrow(
      /toAzure\(\): timeoutMs must be a positive number of milliseconds \(host.json's functionTimeout\)/,
    )
  })
})

describe('toAzure: the request as an API Gateway v2 event', () => {
  it('maps method, path, query, headers, cookies and route parameters', async () => {
    // Prepare
    const { handler, seen } = capture()
    const request = new HttpRequest({
      method: 'get',
      url: `${url}/7?tag=a&tag=b&q=caf%C3%A9`,
      headers: { 'X-Trace': 'abc', cookie: 'a=1; b=2', 'x-forwarded-for': '203.0.113.9, 10.0.0.1' },
      params: { id: '7' },
    })

    // Act
    await handler(request, invocation())

    // Assess
    const event = seen.event!
    expect(event.requestContext.http.method).toBe('GET')
    expect(event.rawPath).toBe('/api/items/7')
    expect(event.rawQueryString).toBe('tag=a&tag=b&q=caf%C3%A9')
    expect(event.queryStringParameters).toEqual({ tag: 'a,b', q: 'café' })
    expect(event.headers['x-trace']).toBe('abc')
    expect(event.headers.cookie).toBeUndefined()
    expect(event.cookies).toEqual(['a=1', 'b=2'])
    expect(event.pathParameters).toEqual({ id: '7' })
    expect(event.requestContext.http.sourceIp).toBe('203.0.113.9')
    expect(event.requestContext.domainName).toBe('lamina.azurewebsites.net')
    expect(event.body).toBeUndefined()
    expect(event.isBase64Encoded).toBe(false)
  })

  it('passes a text body as text and bytes that are not UTF-8 as base64', async () => {
    // Prepare
    const { handler, seen } = capture()
    const bytes = Uint8Array.from([0xff, 0xfe, 0x00, 0x41])

    // Act
    await handler(new HttpRequest({ method: 'POST', url, body: { string: 'héllo' } }), invocation())
    const text = seen.event!
    await handler(
      new HttpRequest({ method: 'POST', url, headers: { 'content-type': 'text/plain' }, body: { bytes } }),
      invocation(),
    )
    const mislabelled = seen.event!
    await handler(
      new HttpRequest({
        method: 'POST',
        url,
        headers: { 'content-type': 'image/png' },
        body: { bytes: Buffer.from('PNG') },
      }),
      invocation(),
    )
    const image = seen.event!

    // Assess
    expect(text).toMatchObject({ body: 'héllo', isBase64Encoded: false })
    expect(mislabelled).toMatchObject({ body: Buffer.from(bytes).toString('base64'), isBase64Encoded: true })
    expect(image).toMatchObject({ body: Buffer.from('PNG').toString('base64'), isBase64Encoded: true })
  })

  it('keeps a path with a malformed escape as it came, and base64-encodes binary bytes sent with no content type', async () => {
    // Prepare
    const { handler, seen } = capture()

    // Act
    await handler(
      new HttpRequest({
        method: 'PUT',
        url: 'https://h.example/files/%E0%A4%A/x',
        body: { bytes: Uint8Array.from([0xc3]) },
      }),
      invocation(),
    )

    // Assess
    expect(seen.event!.rawPath).toBe('/files/%E0%A4%A/x')
    expect(seen.event).toMatchObject({ body: 'ww==', isBase64Encoded: true })
  })

  it('gives the handler a Lambda context: the invocation id, a deadline from timeoutMs, the invocation context', async () => {
    // Prepare
    const seen: { context?: AzureLambdaContext; remaining?: number } = {}
    const handler = toAzure(
      async (_event, context) => {
        seen.context = context
        seen.remaining = context.getRemainingTimeInMillis()
        return { statusCode: 204 }
      },
      { timeoutMs: 10 * 60_000 },
    )
    const azure = invocation({ invocationId: 'abc-123' })

    // Act
    await handler(new HttpRequest({ method: 'GET', url }), azure)

    // Assess
    expect(seen.context!.awsRequestId).toBe('abc-123')
    expect(seen.context!.functionName).toBe('items')
    expect(seen.remaining).toBeGreaterThan(9 * 60_000)
    expect(seen.remaining).toBeLessThanOrEqual(10 * 60_000)
    expect(seen.context!.invocationContext).toBe(azure)
    expect(() => seen.context!.succeed('x')).toThrow(/does not exist outside AWS Lambda/)
  })

  it('logs through the invocation context', async () => {
    // Prepare
    const lines: [LogLevel, unknown[]][] = []
    const handler = toAzure(async (_event, context) => {
      context.invocationContext.log('order placed', { id: 7 })
      return { statusCode: 204 }
    })

    // Act
    await handler(
      new HttpRequest({ method: 'GET', url }),
      invocation({ logHandler: (level, ...args) => lines.push([level, args]) }),
    )

    // Assess
    expect(lines).toEqual([['information', ['order placed', { id: 7 }]]])
  })

  // TRACE and CONNECT never get this far: the worker's request class (a fetch Request) refuses them.
  it.each(['PROPFIND', 'PURGE'])(
    'answers %s 501 with the methods it serves, without running the handler',
    async (method) => {
      // Prepare
      const inner = vi.fn()
      const handler = toAzure(inner)

      // Act
      const response = new HttpResponse(await handler(new HttpRequest({ method, url }), invocation()))

      // Assess
      expect(inner).not.toHaveBeenCalled()
      expect(response.status).toBe(501)
      expect(response.headers.get('allow')).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS')
      expect(await response.json()).toEqual({
        message: `The ${method} method is not supported: Lamina serves GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.`,
      })
    },
  )
})

describe('toAzure: the result as the Azure response', () => {
  it('sends multi-value headers, set-cookie headers as cookies, and a base64 body as bytes', async () => {
    // Prepare
    const { handler } = capture({
      statusCode: 202,
      headers: { 'Content-Type': 'image/png', 'X-Count': 3, 'Set-Cookie': 'c=3' },
      multiValueHeaders: { 'x-tag': ['a', 'b'] },
      cookies: ['a=1; Path=/; HttpOnly'],
      body: Buffer.from([1, 2, 3]).toString('base64'),
      isBase64Encoded: true,
    })

    // Act
    const init = await handler(new HttpRequest({ method: 'GET', url }), invocation())
    const response = new HttpResponse(init)

    // Assess
    expect(response.status).toBe(202)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(response.headers.get('x-count')).toBe('3')
    expect(response.headers.get('x-tag')).toBe('a, b')
    expect(init.cookies).toEqual([
      { name: 'a', value: '1', path: '/', httpOnly: true },
      { name: 'c', value: '3' },
    ])
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([1, 2, 3])
  })

  it.each([
    ['an object', { ok: true }, '{"ok":true}'],
    ['a string', 'hello', 'hello'],
    ['undefined', undefined, ''],
  ])('answers %s returned bare as API Gateway does: 200 JSON', async (_name, value, body) => {
    // Prepare
    const { handler } = capture(value)

    // Act
    const response = new HttpResponse(await handler(new HttpRequest({ method: 'GET', url }), invocation()))

    // Assess
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.text()).toBe(body)
  })

  it('sends no content type of its own for a text body without one, and skips undefined headers', async () => {
    // Prepare
    const { handler } = capture({ statusCode: 200, headers: { 'x-skip': undefined }, body: 'plain' })

    // Act
    const response = new HttpResponse(await handler(new HttpRequest({ method: 'GET', url }), invocation()))

    // Assess
    expect(response.headers.get('content-type')).toBeNull()
    expect(response.headers.has('x-skip')).toBe(false)
    expect(await response.text()).toBe('plain')
  })

  it('answers a null body as an empty one', async () => {
    // Prepare
    const { handler } = capture({ statusCode: 404, body: null })

    // Act
    const response = new HttpResponse(await handler(new HttpRequest({ method: 'GET', url }), invocation()))

    // Assess
    expect(response.status).toBe(404)
    expect(await response.text()).toBe('')
  })
})

describe('parseSetCookie', () => {
  it('reads every attribute Azure cookies hold', () => {
    // Act
    const cookie = parseSetCookie(
      'id=a3f=; Domain=example.com; Path=/app; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Max-Age=60; Secure; HttpOnly; SameSite=strict; Partitioned',
    )

    // Assess
    expect(cookie).toEqual({
      name: 'id',
      value: 'a3f=',
      domain: 'example.com',
      path: '/app',
      expires: new Date('Wed, 21 Oct 2026 07:28:00 GMT'),
      maxAge: 60,
      secure: true,
      httpOnly: true,
      sameSite: 'Strict',
    })
  })

  it('ignores attributes it cannot read rather than sending nonsense', () => {
    expect(parseSetCookie('novalue; Max-Age=soon; Expires=never; SameSite=sometimes')).toEqual({
      name: '',
      value: 'novalue',
      sameSite: undefined,
    })
  })
})
