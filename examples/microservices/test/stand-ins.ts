// What every test of this example starts: DynamoDB (dynalite) with each service's tables and a
// local EventBridge PutEvents endpoint that records what the orders service sends, both on
// 127.0.0.1 and spoken to by the real AWS SDK v3 clients; the environment the template gives
// the functions, pointing at them; and the three functions, imported once that is set.
import { readFileSync } from 'node:fs'
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb'
import { type CapturedOutput, captureOutput, createContext, events, invoke } from '@lamina/testing'
import type { APIGatewayProxyEventV2, EventBridgeEvent } from 'aws-lambda'
import { parse } from 'yaml'
import { type Dynalite, startDynalite } from '../../../test/support/dynalite.js'
import {
  type EventBridgeServer,
  type ReceivedEntry,
  startEventBridgeServer,
} from '../../../test/support/eventbridge-server.js'
import { startPowertoolsEnvironment } from '../../../test/support/powertools.js'

export const tables = { orders: 'orders', inventory: 'inventory', idempotency: 'idempotency' }
export const busName = 'shop-orders'

/** The AWS stand-ins alone, with the environment the functions get (as the template sets it). */
export interface Services {
  dynalite: Dynalite
  eventBridge: EventBridgeServer
  documents: DynamoDBDocumentClient
  /** The functions' environment as the template sets it, with the stand-ins' endpoints. */
  environment: Record<string, string>
  stop(): Promise<void>
}

export interface StandIns extends Services {
  output: CapturedOutput
  orders: typeof import('../src/orders/api.js').handler
  inventory: typeof import('../src/inventory/consumer.js').handler
  stock: typeof import('../src/inventory/api.js').handler
}

export async function startServices(): Promise<Services> {
  const dynalite = await startDynalite([
    { name: tables.orders, partitionKey: 'orderId' },
    { name: tables.inventory, partitionKey: 'pk' },
    { name: tables.idempotency, partitionKey: 'id' },
  ])
  const eventBridge = await startEventBridgeServer()
  return {
    dynalite,
    eventBridge,
    documents: DynamoDBDocumentClient.from(dynalite.client()),
    environment: {
      ORDERS_TABLE: tables.orders,
      INVENTORY_TABLE: tables.inventory,
      IDEMPOTENCY_TABLE: tables.idempotency,
      EVENT_BUS_NAME: busName,
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    },
    async stop() {
      await eventBridge.close()
      await dynalite.stop()
    },
  }
}

/** The stand-ins, this process set up as Lambda would for the functions, and the functions from src/. */
export async function startStandIns(): Promise<StandIns> {
  const services = await startServices()
  const powertools = await startPowertoolsEnvironment({ ...services.environment, AWS_SESSION_TOKEN: undefined })
  const output = captureOutput()
  const [orders, inventory, stock] = await Promise.all([
    import('../src/orders/api.js'),
    import('../src/inventory/consumer.js'),
    import('../src/inventory/api.js'),
  ])
  return {
    ...services,
    output,
    orders: orders.handler,
    inventory: inventory.handler,
    stock: stock.handler,
    async stop() {
      output.restore()
      powertools.stop()
      await services.stop()
    },
  }
}

/** POST /orders as API Gateway's HTTP API delivers it. */
export const placeOrder = (key: string, body: unknown): APIGatewayProxyEventV2 =>
  events.apiGatewayV2({ method: 'POST', path: '/orders', headers: { 'idempotency-key': key }, body })

export async function callApi(
  handler: (event: APIGatewayProxyEventV2, context: ReturnType<typeof createContext>) => Promise<unknown>,
  event: APIGatewayProxyEventV2,
) {
  const response = (await invoke(handler, event)) as {
    statusCode: number
    headers?: Record<string, string>
    body: string
  }
  return { status: response.statusCode, headers: response.headers ?? {}, body: JSON.parse(response.body) }
}

/**
 * The event EventBridge hands a rule's Lambda target for an entry `PutEvents` accepted: the
 * entry's fields under their event names, the id EventBridge gave it, the detail parsed.
 */
export function deliveredEvent(entry: ReceivedEntry & { EventId: string }): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id: entry.EventId,
    'detail-type': entry.DetailType as string,
    source: entry.Source as string,
    account: '123456789012',
    time: new Date((entry.Time ?? Date.now() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'us-east-1',
    resources: entry.Resources ?? [],
    detail: JSON.parse(entry.Detail as string),
  }
}

/** The template with CloudFormation's short-form tags kept as `{ tag, value }`. */
export function readTemplate(): any {
  const tags = ['Ref', 'GetAtt', 'Sub'].map((name) => ({
    tag: `!${name}`,
    resolve: (value: string) => ({ tag: name, value }),
  }))
  return parse(readFileSync(new URL('../template.yaml', import.meta.url), 'utf8'), { customTags: tags })
}

/** The rule's event pattern, as the template declares it. */
export function orderPlacedRule(): { EventBusName: unknown; Pattern: { source: string[]; 'detail-type': string[] } } {
  return readTemplate().Resources.InventoryFunction.Properties.Events.OrderPlaced.Properties
}

/** Whether the rule's pattern (exact values on source and detail-type) matches a published entry. */
export function ruleMatches(entry: ReceivedEntry): boolean {
  const { Pattern } = orderPlacedRule()
  return Pattern.source.includes(entry.Source as string) && Pattern['detail-type'].includes(entry.DetailType as string)
}

export async function setStock(standIns: Services, sku: string, available: number) {
  await standIns.documents.send(
    new PutCommand({ TableName: tables.inventory, Item: { pk: `sku#${sku}`, sku, available } }),
  )
}

export async function stockOf(standIns: Services, sku: string): Promise<number | undefined> {
  const { Item } = await standIns.documents.send(
    new GetCommand({ TableName: tables.inventory, Key: { pk: `sku#${sku}` }, ConsistentRead: true }),
  )
  return Item?.available
}

export async function itemOf(standIns: Services, table: string, key: Record<string, string>) {
  const { Item } = await standIns.documents.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true }))
  return Item
}

/** Powertools' idempotency records whose key hashes this order id (its records have no readable key). */
export async function idempotencyRecords(standIns: Services) {
  const { Items = [] } = await standIns.documents.send(new ScanCommand({ TableName: tables.idempotency }))
  return Items
}

export { createContext, events }
