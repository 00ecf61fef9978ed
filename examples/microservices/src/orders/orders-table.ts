// The orders service's own table: one item per order, keyed by its id. Nothing else reads it.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'

export interface Order {
  orderId: string
  sku: string
  quantity: number
  placedAt: string
  /** The EventBridge id of the OrderPlaced event, once it is on the bus. */
  eventId?: string
}

/**
 * Stores a new order; when one with this id exists (a retried request), returns that one
 * untouched instead, so the caller can compare and carry on from where the first attempt stopped.
 */
export async function storeOrder(
  documents: DynamoDBDocumentClient,
  table: string,
  order: Order,
): Promise<{ created: true; order: Order } | { created: false; order: Order }> {
  try {
    await documents.send(
      new PutCommand({ TableName: table, Item: order, ConditionExpression: 'attribute_not_exists(orderId)' }),
    )
    return { created: true, order }
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error
    const existing = await readOrder(documents, table, order.orderId)
    if (existing === undefined) throw new Error(`Order ${order.orderId} exists and then does not: retry the request.`)
    return { created: false, order: existing }
  }
}

export async function readOrder(
  documents: DynamoDBDocumentClient,
  table: string,
  orderId: string,
): Promise<Order | undefined> {
  const { Item } = await documents.send(new GetCommand({ TableName: table, Key: { orderId }, ConsistentRead: true }))
  return Item as Order | undefined
}

/** Records that the OrderPlaced event is on the bus, so a retried request does not publish it again. */
export async function markAnnounced(
  documents: DynamoDBDocumentClient,
  table: string,
  orderId: string,
  eventId: string,
): Promise<void> {
  await documents.send(
    new UpdateCommand({
      TableName: table,
      Key: { orderId },
      UpdateExpression: 'SET eventId = :eventId',
      ExpressionAttributeValues: { ':eventId': eventId },
    }),
  )
}
