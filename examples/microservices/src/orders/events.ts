// The orders service's public contract: the events it publishes. It owns this schema; other
// services read the events with schemas of their own (see ../inventory/order-placed.ts) and
// never import this service's code. Add fields freely; renaming or removing one is a new
// detail type (OrderPlaced.v2), published beside the old one until every consumer has moved.
import { z } from 'zod'

/** The `source` of every event this service puts on the bus; rules match on it. */
export const ordersSource = 'lamina.orders'

/** Sent once an order is stored: the inventory reserves its stock. */
export const OrderPlaced = z.object({
  orderId: z.string().min(1),
  sku: z.string().min(1).max(64),
  quantity: z.number().int().positive(),
  /** ISO 8601, when the order was first stored (a retried request keeps it). */
  placedAt: z.iso.datetime(),
})

/** Detail type → detail, for `publisher<OrderEvents>()`. */
export type OrderEvents = { OrderPlaced: z.infer<typeof OrderPlaced> }
