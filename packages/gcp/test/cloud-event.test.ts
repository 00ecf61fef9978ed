import type { CloudEvent } from '@google-cloud/functions-framework'
import * as functions from '@google-cloud/functions-framework'
import { type PubSubMessagePublishedData, pubSubText, type StorageObjectData, toCloudEvent } from '@lamina/gcp'
import type { Context } from 'aws-lambda'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type Served, serveRegistered } from './serve.js'

const served: Served[] = []
afterEach(async () => {
  await Promise.all(served.splice(0).map((server) => server.close()))
})

async function serve<T>(name: string, handler: (event: CloudEvent<T>, context: Context) => unknown) {
  functions.cloudEvent(name, toCloudEvent(handler, { timeoutMs: 540_000 }))
  const server = await serveRegistered(name)
  served.push(server)
  return server.url
}

describe('toCloudEvent on the Functions Framework server', () => {
  it('hands a Pub/Sub message (binary content mode) to the handler, with the event id as request id', async () => {
    // Prepare
    const seen: { text?: string; attributes?: unknown; requestId?: string; remaining?: number } = {}
    const url = await serve<PubSubMessagePublishedData>('pubsub', (event, context) => {
      seen.text = pubSubText(event)
      seen.attributes = event.data?.message.attributes
      seen.requestId = context.awsRequestId
      seen.remaining = context.getRemainingTimeInMillis()
    })

    // Act
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-id': 'evt-1',
        'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
        'ce-source': '//pubsub.googleapis.com/projects/p/topics/orders',
      },
      body: JSON.stringify({
        message: {
          data: Buffer.from('{"orderId":"o-1"}').toString('base64'),
          attributes: { kind: 'order' },
          messageId: 'm-1',
          publishTime: '2026-11-27T10:00:00Z',
        },
        subscription: 'projects/p/subscriptions/s',
      }),
    })

    // Assess
    expect(response.status).toBe(204)
    expect(seen).toMatchObject({ text: '{"orderId":"o-1"}', attributes: { kind: 'order' }, requestId: 'evt-1' })
    expect(seen.remaining).toBeGreaterThan(500_000)
  })

  it('hands a Cloud Storage event (structured content mode) to the handler', async () => {
    // Prepare
    let object: StorageObjectData | undefined
    const url = await serve<StorageObjectData>('storage', (event) => {
      object = event.data
    })

    // Act
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({
        specversion: '1.0',
        id: 'evt-2',
        type: 'google.cloud.storage.object.v1.finalized',
        source: '//storage.googleapis.com/projects/_/buckets/uploads',
        data: { bucket: 'uploads', name: 'a/b.png', contentType: 'image/png' },
      }),
    })

    // Assess
    expect(response.status).toBe(204)
    expect(object).toEqual({ bucket: 'uploads', name: 'a/b.png', contentType: 'image/png' })
  })

  it('fails the delivery when the handler throws, so Pub/Sub or Eventarc delivers it again', async () => {
    // Prepare
    const url = await serve('failing', () => {
      throw new Error('downstream unavailable')
    })
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {})

    // Act
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json' },
      body: JSON.stringify({ specversion: '1.0', id: 'evt-3', type: 't', source: 's', data: {} }),
    })

    // Assess
    expect(response.status).toBe(500)
    errors.mockRestore()
  })

  it('reads a Pub/Sub message without data as empty text', () => {
    expect(
      pubSubText({
        specversion: '1.0',
        id: '1',
        type: 't',
        source: 's',
        data: { message: { messageId: 'm', publishTime: '' }, subscription: 's' },
      }),
    ).toBe('')
  })

  it('refuses a handler that is not a function', () => {
    expect(() => toCloudEvent(undefined as never)).toThrow(/toCloudEvent\(\) needs a Lamina handler function/)
  })
})
