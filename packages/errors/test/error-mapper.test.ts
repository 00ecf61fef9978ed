import { TimeoutError, wrap } from '@lamina/core'
import { type ErrorMapperOptions, errorMapper, HttpError, NotFound, ServiceUnavailable } from '@lamina/errors'
import { createContext, events, type HttpAnswer, httpSources } from '@lamina/testing'
import { createError } from '@middy/util'
import { describe, expect, it } from 'vitest'

/** A function whose handler throws `error`, behind errorMapper(options). */
function failing(error: unknown, options?: ErrorMapperOptions) {
  return wrap<unknown>()
    .use(errorMapper(options))
    .handler(async () => {
      throw error
    })
}

const call = (handler: ReturnType<typeof failing>, event: unknown, context = createContext()) =>
  handler(event, context) as unknown as Promise<HttpAnswer>

describe.each(httpSources)('errorMapper on $name', ({ name, factory }) => {
  it('answers in the shape the source expects', async () => {
    const response = await call(failing(new NotFound('No such order')), factory())
    expect(response.statusCode).toBe(404)
    expect(response.headers).toEqual({ 'content-type': 'application/json' })
    if (name === 'alb') {
      expect(Object.keys(response).sort()).toEqual([
        'body',
        'headers',
        'isBase64Encoded',
        'statusCode',
        'statusDescription',
      ])
      expect(response.statusDescription).toBe('404 Not Found')
    } else if (name === 'apiGatewayV1') {
      expect(Object.keys(response).sort()).toEqual(['body', 'headers', 'isBase64Encoded', 'statusCode'])
    } else {
      expect(Object.keys(response).sort()).toEqual(['body', 'headers', 'statusCode'])
    }
  })

  it('gives the client the message and the request id of a 4xx', async () => {
    const context = createContext()
    const response = await call(failing(new NotFound('No such order')), factory(), context)
    expect(JSON.parse(response.body)).toEqual({ message: 'No such order', requestId: context.awsRequestId })
  })

  it('never shows the message, stack or cause of a 5xx', async () => {
    // Prepare
    const context = createContext()
    const error = new ServiceUnavailable('pg: password authentication failed for user "app"', {
      cause: new Error('10.0.3.7:5432 refused'),
      expose: true,
    })
    // Act
    const response = await call(failing(error), factory(), context)
    // Assess
    expect(response.statusCode).toBe(503)
    expect(JSON.parse(response.body)).toEqual({ message: 'Service Unavailable', requestId: context.awsRequestId })
    expect(response.body).not.toMatch(/password|10\.0\.3\.7|at |stack/)
  })

  it('answers 500 for an error that is not an HttpError, with a generic message', async () => {
    const response = await call(failing(new TypeError("Cannot read properties of undefined (reading 'id')")), factory())
    expect(response.statusCode).toBe(500)
    expect(JSON.parse(response.body).message).toBe('Internal Server Error')
    expect(response.body).not.toContain('Cannot read')
  })

  it('answers 504 for a TimeoutError from core', async () => {
    const response = await call(failing(new TimeoutError()), factory())
    expect(response.statusCode).toBe(504)
    expect(JSON.parse(response.body).message).toBe('Gateway Timeout')
  })

  it('keeps Retry-After and other headers from the error', async () => {
    const error = new HttpError(429, 'Slow down', { headers: { 'Retry-After': '30', 'x-limit': '10' } })
    const response = await call(failing(error), factory())
    expect(response.headers).toEqual({ 'Retry-After': '30', 'x-limit': '10', 'content-type': 'application/json' })
  })

  it('writes RFC 9457 problem details when asked', async () => {
    const context = createContext()
    const response = await call(failing(new NotFound('No such order'), { format: 'problem' }), factory(), context)
    expect(response.headers?.['content-type']).toBe('application/problem+json')
    expect(JSON.parse(response.body)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No such order',
      requestId: context.awsRequestId,
    })
  })

  it('writes problem details without detail for a 5xx', async () => {
    const response = await call(failing(new Error('secret internals'), { format: 'problem' }), factory())
    expect(JSON.parse(response.body)).toEqual(expect.objectContaining({ title: 'Internal Server Error', status: 500 }))
    expect(JSON.parse(response.body).detail).toBeUndefined()
  })
})

describe.each([
  ['SQS', () => events.sqs([{ id: 1 }])],
  ['SNS', () => events.sns([{ id: 1 }])],
  ['S3', () => events.s3(['a.txt'])],
  ['DynamoDB streams', () => events.dynamodbStream()],
  ['Kinesis', () => events.kinesis([{ id: 1 }])],
  ['EventBridge', () => events.eventBridge('OrderPlaced', {})],
  ['a scheduled event', () => events.scheduled()],
  ['a direct invoke', () => ({ orderId: 'o-1' })],
  ['a null event', () => null],
])('errorMapper on %s', (_label, makeEvent) => {
  it('rethrows the original error so Lambda retries and dead-letters', async () => {
    const error = new ServiceUnavailable('downstream down')
    await expect(call(failing(error), makeEvent())).rejects.toBe(error)
  })
})

describe('errors from other libraries', () => {
  it("maps Middy's createError with its status and exposed message", async () => {
    const response = await call(failing(createError(401, 'Token expired')), events.apiGatewayV2())
    expect(response.statusCode).toBe(401)
    expect(JSON.parse(response.body).message).toBe('Token expired')
  })

  it('keeps the message of a duck-typed 4xx hidden unless it says expose: true', async () => {
    const response = await call(failing(Object.assign(new Error('internal detail'), { statusCode: 409 })), events.alb())
    expect(response.statusCode).toBe(409)
    expect(JSON.parse(response.body).message).toBe('Conflict')
  })

  it('treats a bare `status` (a failed downstream call) as our 500, not the client’s 404', async () => {
    const downstream = Object.assign(new Error('Request failed with status code 404'), { status: 404 })
    const response = await call(failing(downstream), events.apiGatewayV1())
    expect(response.statusCode).toBe(500)
  })

  it.each([
    ['a string', 'boom'],
    ['null', null],
    ['a statusCode out of range', { statusCode: 302, message: 'moved' }],
  ])('answers 500 for a thrown %s', async (_label, thrown) => {
    const response = await call(failing(thrown), events.functionUrl())
    expect(response.statusCode).toBe(500)
    expect(JSON.parse(response.body).message).toBe('Internal Server Error')
  })

  it('sends only path and message of each issue, for exposed errors', async () => {
    const error = Object.assign(new Error('Bad input; fix the fields listed in issues.'), {
      statusCode: 400,
      expose: true,
      issues: [
        { path: ['body', { key: 'email' }], message: 'Invalid email', input: 'user-secret@x', code: 'invalid' },
        { message: 'Required' },
        null,
      ],
    })
    const response = await call(failing(error), events.apiGatewayV2())
    expect(JSON.parse(response.body).issues).toEqual([
      { path: ['body', 'email'], message: 'Invalid email' },
      { path: [], message: 'Required' },
      { path: [], message: 'Invalid value' },
    ])
    expect(response.body).not.toContain('user-secret')
  })

  it('leaves issues out when an exposed error has an empty list: only schema failures carry issues', async () => {
    const error = Object.assign(new Error('The request body is too large.'), {
      statusCode: 413,
      expose: true,
      issues: [],
    })
    const response = await call(failing(error), events.apiGatewayV2())
    expect(JSON.parse(response.body)).toEqual({
      message: 'The request body is too large.',
      requestId: expect.any(String),
    })
    expect(response.body).not.toContain('issues')
  })

  it('drops header values that are not strings or numbers, or that could split the response', async () => {
    const error = Object.assign(new HttpError(400), {
      headers: { 'x-ok': 7, 'x-evil': 'a\r\nSet-Cookie: x=1', 'x-object': {}, 'Content-Type': 'text/html' },
    })
    const response = await call(failing(error), events.apiGatewayV2())
    expect(response.headers).toEqual({ 'x-ok': '7', 'content-type': 'application/json' })
  })
})

describe('errorMapper options and edge cases', () => {
  it('adds headers to every error response; the error’s own headers win', async () => {
    const error = new HttpError(429, undefined, { headers: { 'access-control-allow-origin': 'https://b.example' } })
    const handler = failing(error, {
      headers: { 'access-control-allow-origin': '*', vary: 'Origin', 'Content-Type': 'text/plain' },
    })
    const response = await call(handler, events.apiGatewayV2())
    expect(response.headers).toEqual({
      'access-control-allow-origin': 'https://b.example',
      vary: 'Origin',
      'content-type': 'application/json',
    })
  })

  it('answers ALB target groups with multi-value headers in that form', async () => {
    const { headers: _, ...event } = { ...events.alb(), multiValueHeaders: { accept: ['*/*'] } }
    const response = await call(failing(new NotFound()), event)
    expect(response.multiValueHeaders).toEqual({ 'content-type': ['application/json'] })
    expect(response.headers).toBeUndefined()
  })

  it('leaves a response that an inner onError already set', async () => {
    const handled = { statusCode: 418, body: 'teapot' }
    const handler = wrap<unknown>()
      .use(errorMapper())
      .use({
        onError(request) {
          request.response = handled
        },
      })
      .handler(async () => {
        throw new Error('x')
      })
    await expect(handler(events.apiGatewayV2(), createContext())).resolves.toBe(handled)
  })

  it('detects the source from the raw event even when a middleware replaced the event', async () => {
    const handler = wrap<unknown>()
      .use(errorMapper())
      .use({
        before(request) {
          request.event = { orderId: 'stripped of everything HTTP' }
        },
      })
      .handler(async () => {
        throw new NotFound()
      })
    const response = (await handler(events.apiGatewayV2(), createContext())) as HttpAnswer
    expect(response.statusCode).toBe(404)
  })

  it('omits the request id when the context has none', async () => {
    const response = await call(failing(new NotFound()), events.apiGatewayV2(), {} as never)
    expect(JSON.parse(response.body)).toEqual({ message: 'Not Found' })
  })

  it('rejects an unknown format at init', () => {
    expect(() => errorMapper({ format: 'xml' as never })).toThrow(/format must be 'json' or 'problem'/)
  })
})
