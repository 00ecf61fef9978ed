// The orders service's HTTP API. POST /orders stores the order in this service's table, then
// announces it with an OrderPlaced event on the bus; that event is all the rest of the system
// ever learns of an order. GET /orders/{orderId} reads one back.
//
// Two writes, to DynamoDB and to EventBridge, cannot be one transaction. The order is written
// first and the event second; when the publish fails, the request fails (503) with the order
// stored but not announced, and the client sends the same request again with the same
// Idempotency-Key: the retry finds the stored order and publishes it then. README, "Two writes".
import { createHash } from 'node:crypto'
import type { Logger } from '@aws-lambda-powertools/logger'
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { type Clients, clients } from '@lamina/connections'
import { type Context, isTimeoutError, wrap } from '@lamina/core'
import { Conflict, errorMapper, NotFound } from '@lamina/errors'
import { publisher } from '@lamina/events'
import { observability } from '@lamina/observability'
import { router } from '@lamina/router'
import { timeoutGuard } from '@lamina/timeout'
import { validator } from '@lamina/validator'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { z } from 'zod'
import { setting } from '../environment.js'
import { type OrderEvents, ordersSource } from './events.js'
import { markAnnounced, type Order, readOrder, storeOrder } from './orders-table.js'

const ordersTable = setting('ORDERS_TABLE')

// At init, once per container: the publisher (and the EventBridge client under it) is shared by
// every invocation. Made here rather than on the first publish so the SDK loads during init.
const events = publisher<OrderEvents>({
  client: new EventBridgeClient({}),
  eventBusName: setting('EVENT_BUS_NAME'),
  source: ordersSource,
})

const NewOrder = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.number().int().positive().max(10_000),
})

/** The client's key for one order: the same key sent again means "the same order", never a second one. */
const IdempotencyKey = z.looseObject({ 'idempotency-key': z.string().min(1).max(128) })

type OrdersContext = Context & {
  clients: Clients<{ orders: DynamoDBDocumentClient }>
  logger: Logger
  metrics: Metrics
}

/** The order id is derived from the key: a retry lands on the item the first attempt wrote. */
const orderIdFor = (key: string) => `ord-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

const app = router<APIGatewayProxyEventV2, OrdersContext>()
  .post('/orders', [validator({ body: NewOrder, headers: IdempotencyKey })], async (event, context, { signal }) => {
    const { sku, quantity } = event.body
    const orderId = orderIdFor(event.headers['idempotency-key'])
    const documents = context.clients.orders
    const stored = await storeOrder(documents, ordersTable, {
      orderId,
      sku,
      quantity,
      placedAt: new Date().toISOString(),
    })
    const order = stored.order
    if (order.sku !== sku || order.quantity !== quantity) {
      throw new Conflict('This Idempotency-Key was used for a different order: send a new key for a new order.')
    }
    if (order.eventId !== undefined) {
      // A retry of a request that completed: the same answer, nothing published again.
      return json(201, order, { 'idempotent-replayed': 'true' })
    }
    let eventId: string
    try {
      const published = await events.publish(
        'OrderPlaced',
        { orderId, sku, quantity, placedAt: order.placedAt },
        { signal },
      )
      eventId = published.eventIds[0] as string
    } catch (error) {
      if (isTimeoutError(error)) throw error // the guard answers 504; the client retries the same way
      context.logger.error('order stored but OrderPlaced not published; the client retries with its key', {
        orderId,
        error,
      })
      context.metrics.addMetric('OrdersNotAnnounced', MetricUnit.Count, 1)
      return json(
        503,
        {
          message:
            'The order is stored but not confirmed yet: send the same request again, with the same Idempotency-Key.',
          orderId,
          requestId: context.awsRequestId,
        },
        { 'retry-after': '1' },
      )
    }
    await markAnnounced(documents, ordersTable, orderId, eventId)
    context.logger.info('order placed', { orderId, sku, quantity, eventId, retried: !stored.created })
    context.metrics.addMetric('OrdersPlaced', MetricUnit.Count, 1)
    return json(201, { ...order, eventId } satisfies Order)
  })
  .get('/orders/{orderId}', async (event, context) => {
    const order = await readOrder(context.clients.orders, ordersTable, event.pathParameters.orderId)
    if (order === undefined) throw new NotFound('No order with this id.')
    return json(200, order)
  })

/** The middlewares in Lamina's one order; the router's routes run inside them. */
export const handler = wrap<APIGatewayProxyEventV2>()
  .use(timeoutGuard({ marginMs: 500 }))
  .use(errorMapper())
  .use(observability())
  .use(clients({ orders: () => DynamoDBDocumentClient.from(new DynamoDBClient({})) }))
  .handler(app)
