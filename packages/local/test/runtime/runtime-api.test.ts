// The emulator's protocol as a runtime client sees it, over plain HTTP.
import { request } from 'node:http'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type RuntimeApi, startRuntimeApi } from '../../src/index.js'
import { parseErrorBody } from '../../src/runtime/runtime-api.js'

let api: RuntimeApi

beforeEach(async () => {
  api = await startRuntimeApi()
})
afterEach(async () => api.close())

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function call(
  method: string,
  path: string,
  body?: string | Buffer[],
  headers: Record<string, string> = {},
  trailers?: Record<string, string>,
): Promise<Answer> {
  const url = new URL(path, api.url)
  return new Promise((resolve, reject) => {
    const sent = request(url, { method, headers }, (response) => {
      let text = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        text += chunk
      })
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }))
    })
    sent.on('error', reject)
    if (Array.isArray(body)) for (const chunk of body) sent.write(chunk)
    else if (body !== undefined) sent.write(body)
    if (trailers) sent.addTrailers(trailers)
    sent.end()
  })
}

const next = () => call('GET', '/2018-06-01/runtime/invocation/next')

describe('Runtime API emulator', () => {
  it('hands an invocation to /next with the headers Lambda sends', async () => {
    // Prepare
    const before = Date.now()
    const queued = api.enqueue(
      { hello: 'world' },
      {
        timeoutMs: 5000,
        functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
        clientContext: { custom: { a: 1 } },
        cognitoIdentity: { cognitoIdentityId: 'id' },
        tenantId: 'tenant-1',
      },
    )

    // Act
    const answer = await next()

    // Assess
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toEqual({ hello: 'world' })
    expect(answer.headers).toMatchObject({
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': queued.requestId,
      'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:eu-west-1:123456789012:function:orders',
      'lambda-runtime-trace-id': expect.stringMatching(
        new RegExp(`^Root=${queued.traceId};Parent=[0-9a-f]{16};Sampled=1$`),
      ),
      'lambda-runtime-client-context': '{"custom":{"a":1}}',
      'lambda-runtime-cognito-identity': '{"cognitoIdentityId":"id"}',
      'lambda-runtime-aws-tenant-id': 'tenant-1',
    })
    const deadline = Number(answer.headers['lambda-runtime-deadline-ms'])
    expect(deadline).toBeGreaterThanOrEqual(before + 5000)
    expect(deadline).toBeLessThanOrEqual(Date.now() + 5000)
    expect(await queued.handedOut).toEqual({ requestId: queued.requestId, deadlineMs: deadline })
  })

  it('holds /next open until there is work', async () => {
    // Prepare
    let nextCalls = 0
    api.on('next', () => nextCalls++)
    const waiting = next()
    await new Promise<void>((resolve) => api.once('next', resolve))

    // Act
    const queued = api.enqueue(['late'])

    // Assess
    const answer = await waiting
    expect(answer.headers['lambda-runtime-aws-request-id']).toBe(queued.requestId)
    expect(JSON.parse(answer.body)).toEqual(['late'])
    expect(nextCalls).toBe(1)
  })

  it('collects a response, then refuses a second answer for the same request id', async () => {
    // Prepare
    const queued = api.enqueue({}, { requestId: 'req-1' })
    await next()

    // Act
    const accepted = await call('POST', '/2018-06-01/runtime/invocation/req-1/response', '{"ok":true}')
    const again = await call('POST', '/2018-06-01/runtime/invocation/req-1/response', '{}')

    // Assess
    expect(accepted).toMatchObject({ status: 202, body: '{"status":"OK"}' })
    const outcome = await queued.outcome
    expect(outcome).toMatchObject({ requestId: 'req-1', kind: 'response', streamed: false })
    expect(outcome?.body.toString()).toBe('{"ok":true}')
    expect(again.status).toBe(400)
    expect(JSON.parse(again.body).errorType).toBe('InvalidRequestID')
  })

  it('collects an invocation error with its type header', async () => {
    const queued = api.enqueue({}, { requestId: 'req-2' })
    await next()
    const body = JSON.stringify({ errorType: 'Boom', errorMessage: 'it broke', trace: ['Boom: it broke'] })
    await call('POST', '/2018-06-01/runtime/invocation/req-2/error', body, {
      'Lambda-Runtime-Function-Error-Type': 'Boom',
    })
    const outcome = await queued.outcome
    expect(outcome?.kind).toBe('error')
    expect(outcome?.headers['lambda-runtime-function-error-type']).toBe('Boom')
    expect(JSON.parse(outcome!.body.toString())).toMatchObject({ errorType: 'Boom' })
  })

  it('reports an init error as an event', async () => {
    const reported = new Promise((resolve) => api.once('initError', resolve))
    const answer = await call(
      'POST',
      '/2018-06-01/runtime/init/error',
      JSON.stringify({ errorType: 'Runtime.ImportModuleError', errorMessage: 'no module', trace: [] }),
      { 'Lambda-Runtime-Function-Error-Type': 'Runtime.ImportModuleError' },
    )
    expect(answer.status).toBe(202)
    expect(await reported).toEqual({ errorType: 'Runtime.ImportModuleError', errorMessage: 'no module', trace: [] })
  })

  it('takes an init error that is not JSON as its text, typed by its header', async () => {
    const reported = new Promise((resolve) => api.once('initError', resolve))
    await call('POST', '/2018-06-01/runtime/init/error', 'plain text', {
      'Lambda-Runtime-Function-Error-Type': 'Custom',
    })
    expect(await reported).toEqual({ errorType: 'Custom', errorMessage: 'plain text' })
  })

  it('takes an init error without a type header, and a stackTrace field as its trace', async () => {
    // Prepare: the shape older runtime clients post
    const reported = new Promise((resolve) => api.once('initError', resolve))

    // Act
    await call('POST', '/2018-06-01/runtime/init/error', JSON.stringify({ errorMessage: 'x', stackTrace: ['at a', 1] }))

    // Assess
    expect(await reported).toEqual({ errorType: 'Runtime.Unknown', errorMessage: 'x', trace: ['at a', '1'] })
  })

  it('hands out an undefined event as null', async () => {
    api.enqueue(undefined)
    expect((await next()).body).toBe('null')
  })

  it('reads a streamed response: prelude, chunks, and an error from the trailers', async () => {
    // Prepare
    const preludes: unknown[] = []
    const chunks: string[] = []
    const queued = api.enqueue(
      {},
      {
        requestId: 'req-3',
        onPrelude: (prelude) => preludes.push(prelude),
        onChunk: (chunk) => chunks.push(Buffer.from(chunk).toString()),
      },
    )
    await next()
    const error = JSON.stringify({ errorType: 'Late', errorMessage: 'midway', trace: [] })

    // Act: the prelude split across chunks, as a client may send it
    await call(
      'POST',
      '/2018-06-01/runtime/invocation/req-3/response',
      [
        Buffer.from('{"statusCo'),
        Buffer.concat([Buffer.from('de":200}'), Buffer.alloc(8), Buffer.from('ab')]),
        Buffer.from('cd'),
      ],
      {
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        'Content-Type': 'application/vnd.awslambda.http-integration-response',
        'Transfer-Encoding': 'chunked',
        Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
      },
      {
        'Lambda-Runtime-Function-Error-Type': 'Late',
        'Lambda-Runtime-Function-Error-Body': Buffer.from(error).toString('base64'),
      },
    )

    // Assess
    const outcome = await queued.outcome
    expect(preludes).toEqual([{ statusCode: 200 }])
    expect(chunks.join('')).toBe('abcd')
    expect(outcome).toMatchObject({
      kind: 'error',
      streamed: true,
      prelude: { statusCode: 200 },
      streamError: { errorType: 'Late', errorMessage: 'midway', trace: [] },
    })
    expect(outcome?.body.toString()).toBe('abcd')
  })

  it('treats a stream that ends before its prelude delimiter as body', async () => {
    const queued = api.enqueue({}, { requestId: 'req-4' })
    await next()
    await call('POST', '/2018-06-01/runtime/invocation/req-4/response', [Buffer.from('not a prelude')], {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Content-Type': 'application/vnd.awslambda.http-integration-response',
    })
    const outcome = await queued.outcome
    expect(outcome).toMatchObject({ kind: 'response', streamed: true })
    expect(outcome?.prelude).toBeUndefined()
    expect(outcome?.body.toString()).toBe('not a prelude')
  })

  it('keeps the report the local loop sends, for one hand-over', async () => {
    api.enqueue({}, { requestId: 'req-5' })
    await next()
    const report = { timings: [{ phase: 'handler', middleware: 'handler', startMs: 0, endMs: 1 }], logs: ['a'] }
    const answer = await call('POST', '/lamina/v1/invocation/req-5/report', JSON.stringify(report))
    expect(answer.status).toBe(202)
    expect(api.takeReport('req-5')).toEqual(report)
    expect(api.takeReport('req-5')).toBeUndefined()
  })

  it('answers unknown routes and methods with errors that name them', async () => {
    const unknown = await call('POST', '/2018-06-01/runtime/somewhere', '{}')
    const method = await call('PUT', '/2018-06-01/runtime/invocation/next')
    expect(unknown.status).toBe(404)
    expect(JSON.parse(unknown.body)).toEqual({
      errorType: 'NotFound',
      errorMessage: 'No route for POST /2018-06-01/runtime/somewhere',
    })
    expect(method.status).toBe(405)
  })

  it('cancel() settles a queued or running invocation with nothing', async () => {
    const queued = api.enqueue({}, { requestId: 'queued' })
    api.cancel('queued')
    expect(await queued.outcome).toBeUndefined()
    const running = api.enqueue({}, { requestId: 'running' })
    await next()
    api.cancel('running')
    expect(await running.outcome).toBeUndefined()
  })

  it('close() settles what is left and releases held /next requests', async () => {
    const held = next().catch((error: Error) => error)
    await new Promise<void>((resolve) => api.once('next', resolve))
    const queued = api.enqueue({}, { requestId: 'after' })
    // the held /next took it; queue one more that nobody takes
    const left = api.enqueue({}, { requestId: 'left' })
    await held
    await api.close()
    expect(await left.outcome).toBeUndefined()
    expect(await queued.outcome).toBeUndefined()
    api = await startRuntimeApi()
  })

  it('fails to start on a port in use, naming the port', async () => {
    const port = Number(api.address.split(':')[1])
    await expect(startRuntimeApi({ port })).rejects.toThrow(/EADDRINUSE/)
  })
})

describe('parseErrorBody (properties)', () => {
  it('reads any bytes a runtime posts as an error with a string type and message, never throwing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.option(fc.string(), { nil: undefined }), (bytes, type) => {
        const parsed = parseErrorBody(Buffer.from(bytes), type)
        expect(typeof parsed.errorType).toBe('string')
        expect(typeof parsed.errorMessage).toBe('string')
      }),
    )
  })

  it('keeps the type and message of any JSON error body, and falls back for fields of the wrong kind', () => {
    const field = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string()))
    fc.assert(
      fc.property(field, field, (errorType, errorMessage) => {
        const parsed = parseErrorBody(Buffer.from(JSON.stringify({ errorType, errorMessage })), 'Fallback')
        expect(parsed.errorType).toBe(typeof errorType === 'string' ? errorType : 'Fallback')
        expect(parsed.errorMessage).toBe(typeof errorMessage === 'string' ? errorMessage : '')
      }),
    )
  })
})
