// The parts of the mapping the Functions Framework never exercises (route parameters, a request
// with no Host), checked on their own.

import { once } from 'node:events'
import { createServer } from 'node:http'
import { connect } from 'node:net'
import { toGoogleCloud } from '@lamina/gcp'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import express from 'express'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { eventBody } from '../src/body.js'
import { toV2Event } from '../src/http-event.js'
import { platformFunctionName } from '../src/lambda-context.js'
import { listen } from './serve.js'

afterEach(() => {
  vi.unstubAllEnvs()
})

describe('toV2Event', () => {
  it('keeps route parameters a platform matched, and an empty user agent when none was sent', () => {
    // Act
    const event = toV2Event({
      method: 'GET',
      url: new URL('https://h.example/users/7'),
      headers: [],
      body: eventBody(new Uint8Array(), null),
      requestId: 'r-1',
      sourceIp: '',
      pathParameters: { id: '7' },
    })

    // Assess
    expect(event.pathParameters).toEqual({ id: '7' })
    expect(event.requestContext.http.userAgent).toBe('')
    expect(event.cookies).toBeUndefined()
  })
})

describe('platformFunctionName', () => {
  it('is the Cloud Run service, else the entry point, else empty', () => {
    vi.stubEnv('K_SERVICE', 'orders-svc')
    vi.stubEnv('FUNCTION_TARGET', 'orders')
    expect(platformFunctionName()).toBe('orders-svc')
    vi.stubEnv('K_SERVICE', undefined)
    expect(platformFunctionName()).toBe('orders')
    vi.stubEnv('FUNCTION_TARGET', undefined)
    expect(platformFunctionName()).toBe('')
  })
})

describe('toGoogleCloud without a Host header (HTTP/1.0)', () => {
  it('reads the path against localhost', async () => {
    // Prepare
    let event: APIGatewayProxyEventV2 | undefined
    const app = express()
    app.use(
      toGoogleCloud(async (received) => {
        event = received
        return { statusCode: 204 }
      }),
    )
    const server = await listen(createServer(app))
    const port = Number(new URL(server.url).port)

    // Act
    const socket = connect(port, '127.0.0.1')
    socket.end('GET /no-host?x=1 HTTP/1.0\r\n\r\n')
    socket.resume()
    await once(socket, 'close')
    await server.close()

    // Assess
    expect(event!.rawPath).toBe('/no-host')
    expect(event!.requestContext.domainName).toBe('localhost')
  })
})
