// The inventory service's HTTP API: read a product's stock, and set it (a delivery came in).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { type Clients, clients } from '@lamina/connections'
import { type Context, wrap } from '@lamina/core'
import { errorMapper, NotFound } from '@lamina/errors'
import { observability } from '@lamina/observability'
import { router } from '@lamina/router'
import { timeoutGuard } from '@lamina/timeout'
import { validator } from '@lamina/validator'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { z } from 'zod'
import { setting } from '../environment.js'
import { readStock, setStock } from './inventory-table.js'

const inventoryTable = setting('INVENTORY_TABLE')

const Sku = z.object({ sku: z.string().min(1).max(64) })
const StockLevel = z.object({ available: z.number().int().min(0).max(1_000_000) })

type StockContext = Context & { clients: Clients<{ stock: DynamoDBDocumentClient }> }

const json = (statusCode: number, body: unknown) => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
})

const app = router<APIGatewayProxyEventV2, StockContext>()
  .get('/stock/{sku}', [validator({ path: Sku })], async (event, context) => {
    const { sku } = event.pathParameters
    const available = await readStock(context.clients.stock, inventoryTable, sku)
    if (available === undefined) throw new NotFound('No stock is recorded for this sku.')
    return json(200, { sku, available })
  })
  .put('/stock/{sku}', [validator({ path: Sku, body: StockLevel })], async (event, context) => {
    const { sku } = event.pathParameters
    await setStock(context.clients.stock, inventoryTable, sku, event.body.available)
    return json(200, { sku, available: event.body.available })
  })

export const handler = wrap<APIGatewayProxyEventV2>()
  .use(timeoutGuard({ marginMs: 500 }))
  .use(errorMapper())
  .use(observability())
  .use(clients({ stock: () => DynamoDBDocumentClient.from(new DynamoDBClient({})) }))
  .handler(app)
