// The inventory service's consumer: an EventBridge rule on the orders bus (source lamina.orders,
// detail-type OrderPlaced) invokes it, and it takes the order's quantity off the stock, once per
// order however many times the event arrives (README, "Idempotency").
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency'
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb'
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware'
import { MetricUnit } from '@aws-lambda-powertools/metrics'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { clients } from '@lamina/connections'
import { wrap } from '@lamina/core'
import { type EventBridgeEvent, eventBridge } from '@lamina/events'
import { observability } from '@lamina/observability'
import { timeoutGuard } from '@lamina/timeout'
import { setting } from '../environment.js'
import { reserveStock } from './inventory-table.js'
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

export const handler = wrap<EventBridgeEvent<string, unknown>>()
  .use(timeoutGuard({ marginMs: 500 }))
  .use(observability())
  .use(clients({ stock: () => DynamoDBDocumentClient.from(dynamodb) }))
  // A detail that fails the schema fails the invocation here, before any record is written.
  .use(eventBridge({ source: orderPlacedSource, detailType: orderPlacedType, detail: OrderPlacedDetail }))
  .use(makeHandlerIdempotent({ persistenceStore, config: idempotency }))
  .handler(async (event, context) => {
    const reservation = await reserveStock(context.clients.stock, inventoryTable, event.detail)
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
  })
