import type { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { entrySize, maxRequestBytes, PublishError, publisher } from '@lamina/events'
import { setLambdaEnvironment } from '@lamina/testing'
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest'
import { type EventBridgeServer, startEventBridgeServer } from '../../../test/support/eventbridge-server.js'

type ShopEvents = {
  'Order Placed': { orderId: string; total: number }
}

let server: EventBridgeServer
let client: EventBridgeClient

beforeAll(async () => {
  server = await startEventBridgeServer()
  client = server.client()
})

afterEach(() => {
  server.reset()
  vi.restoreAllMocks()
})

afterAll(() => server.close())

const orders = (count: number) => Array.from({ length: count }, (_, n) => ({ orderId: `o-${n}`, total: n + 1 }))

const shop = (options: { maxAttempts?: number; retryBaseMs?: number } = {}) =>
  publisher<ShopEvents>({ client, eventBusName: 'shop', source: 'shop.orders', retryBaseMs: 0, ...options })

describe('publisher().publish', () => {
  test('one detail: one PutEvents call with the bus, source, detail type and JSON detail; the event id back', async () => {
    // Act
    const result = await shop().publish('Order Placed', { orderId: 'o-1', total: 42 })

    // Assess
    expect(server.calls).toHaveLength(1)
    expect(server.calls[0]?.headers['x-amz-target']).toBe('AWSEvents.PutEvents')
    expect(server.calls[0]?.entries).toEqual([
      {
        EventBusName: 'shop',
        Source: 'shop.orders',
        DetailType: 'Order Placed',
        Detail: '{"orderId":"o-1","total":42}',
      },
    ])
    expect(result.eventIds).toEqual([server.published[0]?.EventId])
  })

  test('25 details: calls of 10, 10 and 5, ids back in the order given', async () => {
    const result = await shop().publish('Order Placed', orders(25))

    expect(server.calls.map((call) => call.entries.length).sort()).toEqual([10, 10, 5])
    const idByOrder = new Map(
      server.published.map((entry) => [JSON.parse(entry.Detail as string).orderId, entry.EventId]),
    )
    expect(result.eventIds).toEqual(orders(25).map((order) => idByOrder.get(order.orderId)))
  })

  test('resources and time are sent with every entry', async () => {
    const time = new Date('2026-11-27T10:00:00Z')

    await shop().publish('Order Placed', orders(2), { resources: ['arn:aws:s3:::invoices'], time })

    for (const entry of server.calls[0]?.entries ?? []) {
      expect(entry).toMatchObject({ Resources: ['arn:aws:s3:::invoices'], Time: time.getTime() / 1000 })
    }
  })

  test('an empty list publishes nothing and makes no call', async () => {
    expect(await shop().publish('Order Placed', [])).toEqual({ eventIds: [] })
    expect(server.calls).toHaveLength(0)
  })

  test('entries that fail with a retryable code (ThrottlingException, InternalFailure) are resent, only they', async () => {
    // Prepare: in the first call, entries o-1 and o-3 fail.
    server.answerEntries((entry, call) => {
      if (call > 1) return undefined
      if (entry.Detail?.includes('"o-1"')) return { errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' }
      if (entry.Detail?.includes('"o-3"')) return { errorCode: 'InternalFailure' }
      return undefined
    })

    // Act
    const result = await shop().publish('Order Placed', orders(5))

    // Assess
    expect(server.calls.map((call) => call.entries.map((entry) => JSON.parse(entry.Detail as string).orderId))).toEqual(
      [
        ['o-0', 'o-1', 'o-2', 'o-3', 'o-4'],
        ['o-1', 'o-3'],
      ],
    )
    expect(server.published).toHaveLength(5)
    expect(result.eventIds.every((id) => typeof id === 'string')).toBe(true)
  })

  test('a retryable failure that lasts: maxAttempts sends, then a PublishError naming the entry, the code and the message', async () => {
    // Prepare
    server.answerEntries((entry) =>
      entry.Detail?.includes('"o-2"') ? { errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' } : undefined,
    )

    // Act
    const error = await shop({ maxAttempts: 4 })
      .publish('Order Placed', orders(3))
      .catch((thrown: unknown) => thrown)

    // Assess
    expect(error).toBeInstanceOf(PublishError)
    const failure = error as PublishError
    expect(failure.failures).toEqual([
      {
        index: 2,
        detailType: 'Order Placed',
        errorCode: 'ThrottlingException',
        errorMessage: 'Rate exceeded',
        attempts: 4,
      },
    ])
    expect(failure.message).toBe(
      '1 of 3 events were not published to EventBridge: #2 (Order Placed): ThrottlingException: Rate exceeded after 4 attempts. ' +
        'The rest were published (see eventIds); resend the failed ones, or fix what the error codes name.',
    )
    expect(failure.eventIds.slice(0, 2)).toEqual(server.published.map((entry) => entry.EventId))
    expect(failure.eventIds[2]).toBeUndefined()
    expect(server.calls).toHaveLength(4)
  })

  test('a non-retryable code (MalformedDetail, AccessDeniedException) is never resent', async () => {
    server.answerEntries((entry) =>
      entry.Detail?.includes('"o-0"')
        ? { errorCode: 'NotAuthorizedForDetailTypeException', errorMessage: 'not allowed on this bus' }
        : undefined,
    )

    const error = (await shop()
      .publish('Order Placed', orders(2))
      .catch((thrown: unknown) => thrown)) as PublishError

    expect(server.calls).toHaveLength(1)
    expect(error.failures).toEqual([
      expect.objectContaining({ index: 0, errorCode: 'NotAuthorizedForDetailTypeException', attempts: 1 }),
    ])
    expect(error.message).toContain('after 1 attempt.')
  })

  test('more than five failures: five listed, the rest counted', async () => {
    server.answerEntries(() => ({ errorCode: 'MalformedDetail' }))

    const error = (await shop()
      .publish('Order Placed', orders(7))
      .catch((thrown: unknown) => thrown)) as PublishError

    expect(error.failures.map((failure) => failure.index)).toEqual([0, 1, 2, 3, 4, 5, 6])
    expect(error.message).toMatch(/^7 of 7 events .*#4 .*\(and 2 more\)\./)
  })

  test('a whole call that fails (after the SDK own retries): its entries are failures with that error as the cause', async () => {
    server.failCalls({ status: 400, type: 'ValidationException', message: 'Bus does not exist' })

    const error = (await shop()
      .publish('Order Placed', orders(12))
      .catch((thrown: unknown) => thrown)) as PublishError

    expect(error).toBeInstanceOf(PublishError)
    expect(error.cause).toMatchObject({ name: 'ValidationException' })
    expect(error.failures).toHaveLength(server.calls[0]?.entries.length ?? -1)
    expect(error.failures[0]).toMatchObject({ errorCode: 'ValidationException', errorMessage: 'Bus does not exist' })
    expect(error.eventIds.filter((id) => id !== undefined)).toHaveLength(12 - error.failures.length)
  })

  test('an answer that misses an entry counts that entry as failed, not published', async () => {
    server.answerEntries((entry) => (entry.Detail?.includes('"o-1"') ? 'omit' : undefined))

    const error = (await shop({ maxAttempts: 1 })
      .publish('Order Placed', orders(2))
      .catch((thrown: unknown) => thrown)) as PublishError

    expect(error.failures).toEqual([
      expect.objectContaining({
        index: 1,
        errorCode: 'MissingResult',
        errorMessage: 'PutEvents answered without a result for this entry',
      }),
    ])
  })

  test('retries wait a full-jitter backoff: up to retryBaseMs × 2^(n−1) before the n-th retry', async () => {
    // Prepare
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const delays: number[] = []
    const realSetTimeout = globalThis.setTimeout
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      if (ms !== undefined && ms >= 1 && ms <= 4) delays.push(ms)
      return realSetTimeout(fn, ms)
    }) as typeof setTimeout)
    server.answerEntries((_, call) => (call < 3 ? { errorCode: 'InternalFailure' } : undefined))

    // Act
    await shop({ retryBaseMs: 4 }).publish('Order Placed', orders(1))

    // Assess
    expect(delays).toEqual([2, 4])
    expect(server.calls).toHaveLength(3)
  })

  test('an aborted signal stops the wait before a retry with its reason', async () => {
    // Prepare: abort as soon as the publisher starts waiting to retry.
    vi.spyOn(Math, 'random').mockReturnValue(0.5)
    const controller = new AbortController()
    const realSetTimeout = globalThis.setTimeout
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      const timer = realSetTimeout(fn, ms)
      if (ms === 30_000) queueMicrotask(() => controller.abort(new Error('deadline')))
      return timer
    }) as typeof setTimeout)
    server.answerEntries(() => ({ errorCode: 'ThrottlingException' }))

    // Act
    const error = await shop({ retryBaseMs: 60_000 })
      .publish('Order Placed', orders(1), { signal: controller.signal })
      .catch((thrown: unknown) => thrown)

    // Assess
    expect(error).toEqual(new Error('deadline'))
    expect(server.calls).toHaveLength(1)
  })

  test('an entry over 256 KB is refused before any call, naming the detail and the way out', async () => {
    const big = { orderId: 'x'.repeat(maxRequestBytes), total: 1 }

    await expect(shop().publish('Order Placed', [orders(1)[0] as never, big])).rejects.toThrow(
      /^publish\("Order Placed"\): detail #1 makes an entry of \d+ bytes, over PutEvents' 262144-byte limit; store the payload elsewhere \(S3\)/,
    )
    expect(server.calls).toHaveLength(0)
  })

  test('entries that fit alone but not together go in separate calls, each within 256 KB', async () => {
    const third = Math.floor(maxRequestBytes / 3)
    const details = Array.from({ length: 4 }, (_, n) => ({ orderId: `${n}`.padEnd(third, '-'), total: n }))

    await shop().publish('Order Placed', details)

    expect(server.calls.map((call) => call.entries.length)).toEqual([2, 2])
    for (const call of server.calls) {
      const bytes = call.entries.reduce((sum, entry) => sum + entrySize({ ...entry, Time: undefined }), 0)
      expect(bytes).toBeLessThanOrEqual(maxRequestBytes)
    }
  })

  test('a detail that is not a JSON object, or an empty detail type, is a TypeError before any call', async () => {
    await expect(shop().publish('Order Placed', [null as never])).rejects.toThrow(
      'publish("Order Placed"): detail #0 must be a JSON object (EventBridge takes no other detail); got null.',
    )
    await expect(shop().publish('Order Placed', [[1] as never])).rejects.toThrow(/got an array/)
    await expect(shop().publish('' as 'Order Placed', orders(1))).rejects.toThrow(
      /detailType must be a non-empty string/,
    )
    expect(server.calls).toHaveLength(0)
  })

  test('without a client: one made on the first publish, from the environment (region, endpoint)', async () => {
    const restore = setLambdaEnvironment({
      AWS_ENDPOINT_URL_EVENTBRIDGE: server.endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    })
    try {
      const own = publisher<ShopEvents>({ eventBusName: 'shop', source: 'shop.orders' })

      await own.publish('Order Placed', orders(1))
      await own.publish('Order Placed', orders(1))
    } finally {
      restore()
    }

    expect(server.published).toHaveLength(2)
  })
})

describe('publisher(options)', () => {
  test('bad options throw at init, naming the option', () => {
    expect(() => publisher(null as never)).toThrow(/publisher\(\) takes options/)
    expect(() => publisher({ eventBusName: '', source: 's' })).toThrow(/eventBusName.*non-empty string/)
    expect(() => publisher({ eventBusName: 'b', source: 1 as never })).toThrow(/source.*non-empty string; got 1/)
    expect(() => publisher({ eventBusName: 'b', source: 's', maxAttempts: 0 })).toThrow(
      /maxAttempts.*whole number from 1/,
    )
    expect(() => publisher({ eventBusName: 'b', source: 's', retryBaseMs: -1 })).toThrow(/retryBaseMs.*from 0/)
  })
})
