// The inventory service's consumer: an EventBridge rule on the orders bus (source lamina.orders,
// detail-type OrderPlaced) invokes it, and it takes the order's quantity off the stock, once per
// order however many times the event arrives (README, "Idempotency").

import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency'
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb'
import type { Logger } from '@aws-lambda-powertools/logger'
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { type Clients, clients } from '@lamina/connections'
import { type Context, wrap } from '@lamina/core'
import { type EventBridgeEvent, eventBridge } from '@lamina/events'
import { observability } from '@lamina/observability'
import { timeoutGuard } from '@lamina/timeout'
import { setting } from '../environment.js'
import { type Reservation, reserveStock } from './inventory-table.js'
import { OrderPlacedDetail, orderPlacedSource, orderPlacedType } from './order-placed.js'

const inventoryTable = setting('INVENTORY_TABLE')

// One DynamoDB client per container, shared by Powertools' idempotency records and the handler.
const dynamodb = new DynamoDBClient({})

const persistenceStore = new DynamoDBPersistenceLayer({
  tableName: setting('IDEMPOTENCY_TABLE'),
  awsSdkV3Client: dynamodb,
})
const idempotency = new IdempotencyConfig({
  // The business key, not the event's id: a publisher that sends one order twice makes two
  // events with two ids; both are the same work.
  eventKeyJmesPath: 'detail.orderId',
  // Longer than EventBridge's and Lambda's retries (a day at most), and than a client that
  // retries a failed POST /orders hours later, which publishes the order again.
  expiresAfterSeconds: 7 * 24 * 60 * 60,
})

type InventoryContext = Context & {
  clients: Clients<{ stock: DynamoDBDocumentClient }>
  logger: Logger
  metrics: Metrics
}

/**
 * The work, once per order id. Powertools' `makeIdempotent` wraps the handler function rather
 * than running as a middleware: in @aws-lambda-powertools/idempotency 2.35 the middleware's
 * `onError` also runs for a duplicate it refused as in progress, and deletes the record of the
 * delivery still running, so the next retry runs the work a second time (the concurrency test in
 * test/inventory-consumer.test.ts caught it). The wrapper deletes a record only when this
 * function itself failed.
 */
const reserveOnce = makeIdempotent(
  async (
    event: { detail: OrderPlacedDetail },
    context: InventoryContext,
    { signal }: { signal: AbortSignal },
  ): Promise<Reservation> => {
    const reservation = await reserveStock(context.clients.stock, inventoryTable, event.detail, signal)
    if (reservation.outcome === 'rejected') {
      // A business outcome, not a failure: retrying cannot make stock appear, so the invocation
      // succeeds and the decision is stored (the order's item, and Powertools' record for redeliveries).
      context.logger.warn('order rejected', { ...reservation })
      context.metrics.addMetric('OrdersRejected', MetricUnit.Count, 1)
    } else {
      context.logger.info('stock reserved', { ...reservation })
      context.metrics.addMetric('StockReserved', MetricUnit.Count, 1)
    }
    return reservation
  },
  { persistenceStore, config: idempotency },
)

export const handler = wrap<EventBridgeEvent<string, unknown>>()
  .use(timeoutGuard({ marginMs: 500 }))
  .use(observability())
  .use(clients({ stock: () => DynamoDBDocumentClient.from(dynamodb) }))
  // A detail that fails the schema fails the invocation here, before any record is written.
  .use(eventBridge({ source: orderPlacedSource, detailType: orderPlacedType, detail: OrderPlacedDetail }))
  .handler(reserveOnce)
