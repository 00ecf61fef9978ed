// The inventory service's own table, one item per product and one per order it has decided on:
//   { pk: 'sku#lamina-mug', available: 7 }
//   { pk: 'order#ord-…', outcome: 'reserved', sku, quantity, available, decidedAt }
// Nothing outside the inventory service reads or writes it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { OrderPlacedDetail } from './order-placed.js'

export const skuKey = (sku: string) => `sku#${sku}`
export const orderKey = (orderId: string) => `order#${orderId}`

/** What the inventory decided for one order. Plain data: Powertools stores it as the idempotent result. */
export type Reservation =
  | { orderId: string; sku: string; quantity: number; outcome: 'reserved'; available: number }
  | {
      orderId: string
      sku: string
      quantity: number
      outcome: 'rejected'
      reason: 'out-of-stock' | 'unknown-sku'
      available: number
    }

export async function readStock(
  documents: DynamoDBDocumentClient,
  table: string,
  sku: string,
  signal?: AbortSignal,
): Promise<number | undefined> {
  const { Item } = await documents.send(
    new GetCommand({ TableName: table, Key: { pk: skuKey(sku) }, ConsistentRead: true }),
    { abortSignal: signal },
  )
  return Item === undefined ? undefined : Number(Item.available)
}

export async function setStock(documents: DynamoDBDocumentClient, table: string, sku: string, available: number) {
  await documents.send(new PutCommand({ TableName: table, Item: { pk: skuKey(sku), sku, available } }))
}

/**
 * Takes the order's quantity off the product's stock in one conditional write, so stock never
 * goes below zero however many orders race for it; an order there is not enough stock for is
 * rejected, not retried. Either decision is recorded as the order's item.
 */
export async function reserveStock(
  documents: DynamoDBDocumentClient,
  table: string,
  { orderId, sku, quantity }: OrderPlacedDetail,
  signal?: AbortSignal,
): Promise<Reservation> {
  // The signal aborts at the invocation's deadline: the call fails, and so the attempt does,
  // while the process can still report it (Powertools then deletes its in-progress record).
  const options = { abortSignal: signal }
  let reservation: Reservation
  try {
    const { Attributes } = await documents.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: skuKey(sku) },
        UpdateExpression: 'SET available = available - :quantity',
        ConditionExpression: 'available >= :quantity',
        ExpressionAttributeValues: { ':quantity': quantity },
        ReturnValues: 'UPDATED_NEW',
      }),
      options,
    )
    reservation = { orderId, sku, quantity, outcome: 'reserved', available: Number(Attributes?.available) }
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error // DynamoDB trouble: fail, retry
    const available = await readStock(documents, table, sku, signal)
    reservation = {
      orderId,
      sku,
      quantity,
      outcome: 'rejected',
      reason: available === undefined ? 'unknown-sku' : 'out-of-stock',
      available: available ?? 0,
    }
  }
  await documents.send(
    new PutCommand({
      TableName: table,
      Item: { pk: orderKey(orderId), ...reservation, decidedAt: new Date().toISOString() },
    }),
    options,
  )
  return reservation
}
