import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { LambdaClient } from '@aws-sdk/client-lambda'
import { createContext, events } from '@lamina/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { paymentWebhook } from '../src/payment-webhook.js'

// A stand-in for Lambda's durable execution callback API on 127.0.0.1: it records each request
// the real AWS SDK client sends and answers as the service does.
const received: { method: string; url: string; body: string }[] = []
const server = createServer(async (request: IncomingMessage, response) => {
  let body = ''
  for await (const chunk of request) body += chunk
  received.push({ method: request.method as string, url: request.url as string, body })
  response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
})
let lambda: LambdaClient

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  lambda = new LambdaClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  })
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

describe('the payment webhook', () => {
  it('completes the workflow’s callback with the provider’s answer', async () => {
    // Prepare
    const event = events.apiGatewayV2({
      method: 'POST',
      path: '/payments/webhook',
      body: { callbackId: 'cb-123', status: 'paid', paymentId: 'pay-1' },
    })
    // Act
    const answer = await paymentWebhook(lambda)(event, createContext())
    // Assess
    expect(answer).toEqual({ statusCode: 202, body: '{"accepted":true}' })
    expect(received.at(-1)).toEqual({
      method: 'POST',
      url: '/2025-12-01/durable-execution-callbacks/cb-123/succeed',
      body: '{"status":"paid","paymentId":"pay-1"}',
    })
  })

  it('answers 400 to a body that is not a payment answer, completing nothing', async () => {
    const before = received.length
    const event = events.apiGatewayV2({ method: 'POST', path: '/payments/webhook', body: { status: 'paid' } })
    const answer = await paymentWebhook(lambda)(event, createContext())
    expect((answer as { statusCode: number }).statusCode).toBe(400)
    expect(received.length).toBe(before)
  })
})
