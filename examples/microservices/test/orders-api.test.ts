// The orders service's API alone: the two writes (its table, then the bus) and what a client
// sees when the second one fails, retries, reuses a key, or sends a bad request.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { callApi, events, itemOf, placeOrder, type StandIns, startStandIns, tables } from './stand-ins.js'

let standIns: StandIns

beforeAll(async () => {
  standIns = await startStandIns()
})

afterEach(() => standIns.eventBridge.reset())

afterAll(() => standIns.stop())

describe('POST /orders: store, then publish', () => {
  it('when the publish fails, answers 503 with the order stored; the retry with the same key publishes it once', async () => {
    // Prepare: the bus fails every entry (EventBridge having a bad minute).
    standIns.eventBridge.answerEntries(() => ({ errorCode: 'InternalFailure', errorMessage: 'Internal error' }))
    const linesBefore = standIns.output.records().length

    // Act
    const failed = await callApi(standIns.orders, placeOrder('retry-me', { sku: 'lamina-mug', quantity: 1 }))
    const storedAfterFailure = await itemOf(standIns, tables.orders, { orderId: failed.body.orderId })
    const callsWhileFailing = standIns.eventBridge.calls.length
    standIns.eventBridge.answerEntries(() => undefined)
    const retried = await callApi(standIns.orders, placeOrder('retry-me', { sku: 'lamina-mug', quantity: 1 }))
    const replayed = await callApi(standIns.orders, placeOrder('retry-me', { sku: 'lamina-mug', quantity: 1 }))

    // Assess: the client is told what to do, and nothing of the failure's internals.
    expect(failed.status).toBe(503)
    expect(failed.headers['retry-after']).toBe('1')
    expect(failed.body).toEqual({
      message: 'The order is stored but not confirmed yet: send the same request again, with the same Idempotency-Key.',
      orderId: expect.stringMatching(/^ord-[0-9a-f]{24}$/),
      requestId: expect.any(String),
    })
    expect(storedAfterFailure).toEqual({
      orderId: failed.body.orderId,
      sku: 'lamina-mug',
      quantity: 1,
      placedAt: expect.any(String),
    })
    expect(callsWhileFailing).toBe(3) // the publisher's own retries of a retryable code, then it gave up
    expect(retried.status).toBe(201)
    expect(retried.body).toMatchObject({ orderId: failed.body.orderId, placedAt: storedAfterFailure?.placedAt })
    expect(standIns.eventBridge.published).toHaveLength(1)
    expect(retried.body.eventId).toBe(standIns.eventBridge.published[0]?.EventId)
    expect(replayed).toMatchObject({ status: 201, headers: { 'idempotent-replayed': 'true' }, body: retried.body })
    const logged = standIns.output.records().slice(linesBefore)
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 'ERROR',
        message: 'order stored but OrderPlaced not published; the client retries with its key',
        orderId: failed.body.orderId,
      }),
    )
  })

  it('answers 409 when a key is reused for a different order, and publishes nothing for it', async () => {
    // Prepare
    const first = await callApi(standIns.orders, placeOrder('reused', { sku: 'lamina-mug', quantity: 1 }))
    standIns.eventBridge.reset()

    // Act
    const conflict = await callApi(standIns.orders, placeOrder('reused', { sku: 'lamina-mug', quantity: 4 }))

    // Assess
    expect(first.status).toBe(201)
    expect(conflict).toMatchObject({
      status: 409,
      body: { message: 'This Idempotency-Key was used for a different order: send a new key for a new order.' },
    })
    expect(standIns.eventBridge.calls).toEqual([])
    expect(await itemOf(standIns, tables.orders, { orderId: first.body.orderId })).toMatchObject({ quantity: 1 })
  })

  it('refuses a bad body or a missing Idempotency-Key with 400 before anything is stored or published', async () => {
    // Act
    const badBody = await callApi(standIns.orders, placeOrder('bad-body', { sku: '', quantity: 0 }))
    const noKey = await callApi(
      standIns.orders,
      events.apiGatewayV2({ method: 'POST', path: '/orders', body: { sku: 'lamina-mug', quantity: 1 } }),
    )
    const unknownOrder = await callApi(
      standIns.orders,
      events.apiGatewayV2({ method: 'GET', path: '/orders/ord-nope' }),
    )

    // Assess
    expect(badBody.status).toBe(400)
    expect(badBody.body.issues.map((issue: { path: string[] }) => issue.path.join('.'))).toEqual([
      'body.sku',
      'body.quantity',
    ])
    expect(noKey.status).toBe(400)
    expect(noKey.body.issues).toEqual([{ path: ['headers', 'idempotency-key'], message: expect.any(String) }])
    expect(unknownOrder).toMatchObject({ status: 404, body: { message: 'No order with this id.' } })
    expect(standIns.eventBridge.calls).toEqual([])
  })
})
