import { createServer, request as httpRequest } from 'node:http'
import * as functions from '@google-cloud/functions-framework'
import { type GoogleLambdaContext, ParsedBodyError, toGoogleCloud } from '@lamina/gcp'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import express from 'express'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { listen, type Served, serveRegistered } from './serve.js'

const served: Served[] = []
afterEach(async () => {
  await Promise.all(served.splice(0).map((server) => server.close()))
})

/** Registers an adapted handler under a fresh name and serves it with the framework's server. */
async function serveAdapted(result: unknown, options?: Parameters<typeof toGoogleCloud>[1]) {
  const seen: { event?: APIGatewayProxyEventV2; context?: GoogleLambdaContext; remaining?: number } = {}
  const name = `fn-${served.length}-${Math.random().toString(36).slice(2)}`
  functions.http(
    name,
    toGoogleCloud(async (event, context) => {
      seen.event = event
      seen.context = context
      seen.remaining = context.getRemainingTimeInMillis()
      return result
    }, options),
  )
  const server = await serveRegistered(name)
  served.push(server)
  return { url: server.url, seen }
}

describe('toGoogleCloud: setup', () => {
  it.each([undefined, null, 42, { handler: () => 1 }])('refuses %p as the handler, naming what to pass', (value) => {
    expect(() => toGoogleCloud(value as never)).toThrow(
      /toGoogleCloud\(\) needs a Lamina handler function \(the result of wrap/,
    )
  })

  it('refuses a timeoutMs that is not a positive number', () => {
    expect(() => toGoogleCloud(async () => 1, { timeoutMs: -5 })).toThrow(
      /toGoogleCloud\(\): timeoutMs must be a positive number of milliseconds \(the function's --timeout\), got -5/,
    )
  })
})

describe('toGoogleCloud on the Functions Framework server', () => {
  it('maps the request: path, query, headers, cookies, the execution id and a deadline', async () => {
    // Prepare
    const { url, seen } = await serveAdapted({ statusCode: 204 }, { timeoutMs: 120_000 })

    // Act
    await fetch(`${url}/items/7?tag=a&tag=b`, {
      headers: { 'x-trace': 'abc', cookie: 'a=1; b=2', 'function-execution-id': 'exec-9' },
    })

    // Assess
    const event = seen.event!
    expect(event.rawPath).toBe('/items/7')
    expect(event.queryStringParameters).toEqual({ tag: 'a,b' })
    expect(event.headers['x-trace']).toBe('abc')
    expect(event.cookies).toEqual(['a=1', 'b=2'])
    expect(event.requestContext.requestId).toBe('exec-9')
    expect(event.requestContext.http.sourceIp).toBe('127.0.0.1')
    expect(seen.context!.awsRequestId).toBe('exec-9')
    expect(seen.context!.request.get('x-trace')).toBe('abc')
    expect(seen.remaining).toBeGreaterThan(100_000)
    expect(seen.remaining).toBeLessThanOrEqual(120_000)
  })

  it("uses the framework's generated execution id when the platform sent none", async () => {
    // Prepare
    const { url, seen } = await serveAdapted({ statusCode: 204 })

    // Act
    await fetch(url)

    // Assess
    expect(seen.context!.awsRequestId).toMatch(/^[0-9a-z]{6,}$/)
    expect(seen.event!.requestContext.requestId).toBe(seen.context!.awsRequestId)
  })

  it('reads the body from req.rawBody: JSON byte for byte, binary as base64', async () => {
    // Prepare
    const { url, seen } = await serveAdapted({ statusCode: 204 })
    const json = '{ "b": 1,   "a": [2] }'

    // Act
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: json })
    const jsonEvent = seen.event!
    await fetch(url, { method: 'POST', headers: { 'content-type': 'image/png' }, body: Uint8Array.from([137, 80]) })
    const binaryEvent = seen.event!

    // Assess
    expect(jsonEvent).toMatchObject({ body: json, isBase64Encoded: false })
    expect(binaryEvent).toMatchObject({ body: Buffer.from([137, 80]).toString('base64'), isBase64Encoded: true })
  })

  it('answers multi-value headers as repeated lines and cookies as set-cookie lines', async () => {
    // Prepare
    const { url } = await serveAdapted({
      statusCode: 200,
      headers: { 'content-type': 'text/plain' },
      multiValueHeaders: { 'x-tag': ['a', 'b'] },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: 'ok',
    })

    // Act
    const response = await fetch(url)

    // Assess
    expect(response.headers.get('content-type')).toBe('text/plain')
    expect(response.headers.get('x-tag')).toBe('a, b')
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly'])
    expect(await response.text()).toBe('ok')
  })

  it.each([
    ['an object', { ok: true }, '{"ok":true}'],
    ['a string', 'hello', 'hello'],
    ['undefined', undefined, ''],
  ])('answers %s returned bare as API Gateway does: 200 JSON', async (_name, value, body) => {
    // Prepare
    const { url } = await serveAdapted(value)

    // Act
    const response = await fetch(url)

    // Assess
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.text()).toBe(body)
  })

  it('answers a null body as an empty one, and leaves out undefined headers', async () => {
    // Prepare
    const { url, seen } = await serveAdapted({ statusCode: 404, headers: { 'x-skip': undefined }, body: null })

    // Act
    const response = await fetch(`${url}/files/x`)

    // Assess
    expect(response.status).toBe(404)
    expect(response.headers.has('x-skip')).toBe(false)
    expect(await response.text()).toBe('')
    expect(() => seen.context!.done()).toThrow(/context.done\(\) does not exist outside AWS Lambda/)
  })

  it('never sees a path with a malformed escape: the framework answers it 400 itself', async () => {
    // Prepare
    const { url, seen } = await serveAdapted({ statusCode: 204 })

    // Act
    const response = await fetch(`${url}/files/%E0%A4%A/x`)

    // Assess: a platform difference (Lambda and Azure pass the path on as it came).
    expect(response.status).toBe(400)
    expect(seen.event).toBeUndefined()
  })

  it('answers a method outside the seven 501, naming the ones it serves', async () => {
    // Prepare
    const { url, seen } = await serveAdapted({ statusCode: 204 })

    // Act: node:http, because fetch itself refuses TRACE.
    const answer = await new Promise<{ status: number; allow: string; body: string }>((resolve, reject) => {
      const sent = httpRequest(`${url}/anything`, { method: 'TRACE' }, (response) => {
        let body = ''
        response.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk
        })
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, allow: String(response.headers.allow), body }),
        )
      })
      sent.on('error', reject).end()
    })

    // Assess
    expect(seen.event).toBeUndefined()
    expect(answer).toEqual({
      status: 501,
      allow: 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
      body: JSON.stringify({
        message: 'The TRACE method is not supported: Lamina serves GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS.',
      }),
    })
  })
})

describe('toGoogleCloud in an Express app of your own', () => {
  async function serveExpress(mount: (app: express.Express, handler: ReturnType<typeof toGoogleCloud>) => void) {
    const seen: { event?: APIGatewayProxyEventV2; context?: GoogleLambdaContext; error?: unknown } = {}
    const app = express()
    mount(
      app,
      toGoogleCloud(async (event, context) => {
        seen.event = event
        seen.context = context
        return { statusCode: 204 }
      }),
    )
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      seen.error = error
      res.status(500).end()
    })
    const server = await listen(createServer(app))
    served.push(server)
    return { url: server.url, seen }
  }

  it('refuses a body express.json() already parsed, naming the fix', async () => {
    // Prepare
    const { url, seen } = await serveExpress((app, handler) => app.post('/', express.json(), handler))

    // Act
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    })

    // Assess
    expect(response.status).toBe(500)
    expect(seen.event).toBeUndefined()
    expect(seen.error).toBeInstanceOf(ParsedBodyError)
    expect((seen.error as Error).message).toMatch(
      /the request body was already parsed .* mount it with express\.raw\(\{ type: '\*\/\*' \}\) instead of express\.json\(\)/,
    )
  })

  it.each([
    [
      'no body parser (the stream is read)',
      (app: express.Express, handler: express.RequestHandler) => app.post('/', handler),
    ],
    [
      'express.raw()',
      (app: express.Express, handler: express.RequestHandler) => app.post('/', express.raw({ type: '*/*' }), handler),
    ],
    [
      'express.text()',
      (app: express.Express, handler: express.RequestHandler) => app.post('/', express.text({ type: '*/*' }), handler),
    ],
  ])('takes the body with %s', async (_name, mount) => {
    // Prepare
    const { url, seen } = await serveExpress((app, handler) => mount(app, handler as express.RequestHandler))

    // Act
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}' })

    // Assess
    expect(seen.error).toBeUndefined()
    expect(seen.event).toMatchObject({ body: '{"a":1}', isBase64Encoded: false })
  })

  it('reads the stream of a bare app.use() mount: the path as it came, binary with no content type as base64', async () => {
    // Prepare
    vi.stubEnv('K_SERVICE', 'files-service')
    const { url, seen } = await serveExpress((app, handler) => app.use(handler))

    // Act
    await fetch(`${url}/files/%E0%A4%A/x`, { method: 'PUT', body: Uint8Array.from([0xc3]) })

    // Assess
    expect(seen.event!.rawPath).toBe('/files/%E0%A4%A/x')
    expect(seen.event).toMatchObject({ body: 'ww==', isBase64Encoded: true })
    expect(seen.context!.functionName).toBe('files-service')
    expect(seen.context!.awsRequestId).toMatch(/^[0-9a-f-]{36}$/)
    vi.unstubAllEnvs()
  })

  it('takes an empty parsed body as no body', async () => {
    // Prepare
    const { url, seen } = await serveExpress((app, handler) => app.post('/', express.json(), handler))

    // Act
    await fetch(url, { method: 'POST' })

    // Assess
    expect(seen.error).toBeUndefined()
    expect(seen.event!.body).toBeUndefined()
  })
})
